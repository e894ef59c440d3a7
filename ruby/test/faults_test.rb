# frozen_string_literal: true

require "test_helper"

# Outcomes an honest guest never produces (E-01..E-03, E-06, E-11, E-20,
# E-21, E-24),
# reached through the fault-injecting guest in fixtures/crafted_guest.wat:
# the first character of the eval source picks the misbehaviour. The
# Handle isolation tests use fixtures/handle_isolation_guest.wat instead.
class FaultsTest < Minitest::Test
  CRAFTED = File.expand_path("fixtures/crafted_guest.wasm", __dir__)

  def crafted
    Kobako::Sandbox.new(wasm_path: CRAFTED, timeout: 5)
  end

  def test_crafted_guest_answers_normally_otherwise
    assert_equal 42, crafted.eval("0")
  end

  def test_e01_engine_trap
    box = crafted
    error = assert_raises(Kobako::TrapError) { box.eval("1") }
    assert_includes error.message, "unreachable"
    assert_equal 42, box.eval("0")
  end

  def test_e02_no_outcome
    error = assert_raises(Kobako::TrapError) { crafted.eval("2") }
    assert_includes error.message, "produced no result"
  end

  def test_e03_unreadable_outcome
    error = assert_raises(Kobako::TrapError) { crafted.eval("3") }
    assert_includes error.message, "unknown outcome kind"
  end

  def test_e06_wire_violation
    error = assert_raises(Kobako::TrapError) { crafted.eval("4") }
    assert_includes error.message, "wire violation"
  end

  def test_e11_result_cannot_be_decoded_or_restored
    box = crafted
    %w[5 6].each do |code|
      error = assert_raises(Kobako::SandboxError, code) { box.eval(code) }
      assert_equal "Kobako::Transport::Error", error.klass
    end
  end

  def test_e24_unknown_handle_id_is_undefined
    status, category, message = crafted.eval("7")
    assert_equal [1, "undefined"], [status, category]
    assert_includes message, "no live Capability Handle"
  end

  def test_e20_the_guest_cannot_read_the_run_arguments
    error = assert_raises(Kobako::SandboxError) { crafted.run(:Entry, 1) }
    assert_equal "Kobako::Transport::Error", error.klass
  end

  def test_e21_the_guest_cannot_reserve_room_for_the_run_arguments
    error = assert_raises(Kobako::SandboxError) { crafted.run(:Entry, "x" * 5000) }
    assert_includes error.message, "could not reserve"
  end

  # S-04, B-18, E-24, X-08 with a real id: fixtures/handle_isolation_guest.wat
  # reads the id of a Handle it was issued and presents it elsewhere.
  ISOLATION = File.expand_path("fixtures/handle_isolation_guest.wasm", __dir__)
  ISSUE = "0000000000"
  REACHED = [0, 7].freeze

  # The object behind the Handle: counts the calls that reach it.
  class Target
    attr_reader :calls

    def initialize
      @calls = 0
    end

    def incr
      @calls += 1
      7
    end
  end

  # S::Maker: +get+ hands out the target; +hold(id)+ reports the id the
  # guest read, then waits for a release when +held+.
  class Maker
    attr_reader :target, :ids

    def initialize(held)
      @target = Target.new
      @ids = Queue.new
      @release = held ? Queue.new : nil
    end

    def get = @target

    def hold(id)
      @ids << id
      @release&.pop
      nil
    end

    def release = @release << true
  end

  def isolation_box(held: false)
    maker = Maker.new(held)
    box = Kobako::Sandbox.new(wasm_path: ISOLATION, timeout: 5)
    # Namespace#bind would first compile `module S; end` with the guest's
    # compiler, which a crafted guest does not have: bind the member alone.
    box.send(:bind_member, "S", "Maker", maker)
    [box, maker]
  end

  def present(box, id) = box.eval(format("%010d", id))

  def assert_undefined(reply)
    assert_equal [1, "undefined"], reply.first(2), reply.inspect
  end

  def test_b18_e24_a_handle_from_invocation_n_is_undefined_in_n_plus_1
    box, maker = isolation_box
    assert_equal REACHED, box.eval(ISSUE), "the id works in its own invocation"
    id = maker.ids.pop
    assert_undefined present(box, id)
    assert_equal 1, maker.target.calls
  end

  def test_s04_x08_e24_a_live_handle_is_undefined_elsewhere
    box, maker = isolation_box(held: true)
    other, other_maker = isolation_box
    holder = Thread.new { box.eval(ISSUE) }
    id = maker.ids.pop
    assert_undefined present(box, id) # a concurrent invocation
    assert_undefined present(other, id) # another Sandbox
    maker.release
    assert_equal REACHED, holder.value
    assert_equal [1, 0], [maker.target.calls, other_maker.target.calls]
  end
end
