# frozen_string_literal: true

require "test_helper"

# Outcomes an honest guest never produces (E-01..E-03, E-06, E-11, E-20,
# E-21, E-24),
# reached through the fault-injecting guest in fixtures/crafted_guest.wat:
# the first character of the eval source picks the misbehaviour.
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
end
