# frozen_string_literal: true

require "test_helper"
require "timeout"

# Section 9.2: what later Kobako releases added (K-01 Pool, K-02 gvl:).
class PoolTest < Minitest::Test
  def counting_pool(built, **options)
    Kobako::Pool.new(**options) do |sb|
      built << sb
      sb.define(:Echo).bind(:Id, ->(x) { x })
    end
  end

  def test_k01_sandboxes_are_built_lazily_with_the_setup_and_reused
    built = Queue.new
    pool = counting_pool(built, slots: 2, checkout_timeout: 1)
    assert_equal 0, pool.size
    assert_equal 7, pool.with { |sb| sb.eval("Echo::Id.call(7)") }
    assert_equal 8, pool.with { |sb| sb.eval("Echo::Id.call(8)") }
    assert_equal 1, pool.size, "the idle Sandbox was lent again"
    assert_equal 1, built.size
  end

  def test_k01_a_sandbox_is_lent_to_one_block_at_a_time_and_checkout_times_out
    pool = counting_pool(Queue.new, slots: 2, checkout_timeout: 0.2)
    holding = Queue.new
    release = Queue.new
    holders = Array.new(2) do
      Thread.new { pool.with { |sb| holding << sb; release.pop } }
    end
    lent = [holding.pop, holding.pop]
    refute_same lent[0], lent[1]
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    error = assert_raises(Kobako::PoolTimeoutError) { pool.with { |_| flunk "no slot was free" } }
    waited = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
    assert_operator waited, :>=, 0.2
    assert_includes error.message, "all 2 slots lent"
    # A slot given back wakes a waiting checkout.
    waiter = Thread.new { pool.with(&:itself) }
    release << :go
    assert_includes lent, waiter.value
    release << :go
    holders.each(&:join)
  end

  def test_k01_a_sandbox_whose_block_trapped_is_discarded_and_rebuilt
    built = Queue.new
    pool = counting_pool(built, slots: 1, timeout: 0.05)
    first = pool.with(&:itself)
    assert_raises(Kobako::TimeoutError) { pool.with { |sb| sb.eval("loop {}") } }
    assert_equal 0, pool.size
    second = pool.with { |sb| assert_equal 3, sb.eval("Echo::Id.call(3)"); sb }
    refute_same first, second
    assert_equal 2, built.size
    # Other errors keep the Sandbox.
    assert_raises(Kobako::SandboxError) { pool.with { |sb| sb.eval("raise 'no'") } }
    assert_same second, pool.with(&:itself)
  end

  def test_k01_a_failing_setup_gives_its_slot_back
    attempts = 0
    pool = Kobako::Pool.new(slots: 1, checkout_timeout: 0.2) do |_sb|
      attempts += 1
      raise "setup failed" if attempts == 1
    end
    assert_raises(RuntimeError) { pool.with(&:itself) }
    assert_instance_of Kobako::Sandbox, pool.with(&:itself)
    assert_equal 1, pool.size
  end

  def test_k01_bad_options_are_argument_errors_naming_them
    { { slots: 0 } => "slots", { slots: 1.5 } => "slots", { checkout_timeout: 0 } => "checkout_timeout",
      { checkout_timeout: Float::INFINITY } => "checkout_timeout", { timeout: -1 } => "timeout",
      { memory_limit: 0 } => "memory_limit" }.each do |options, name|
      error = assert_raises(ArgumentError) { Kobako::Pool.new(**options) }
      assert_includes error.message, name, options.inspect
    end
    assert_raises(ArgumentError) { Kobako::Pool.new.with }
  end

  def test_k02_gvl_accepts_release_and_hold_and_the_guest_never_holds_it
    assert_equal :release, Kobako::Sandbox.new.gvl
    held = Kobako::Sandbox.new(gvl: :hold, timeout: 30)
    assert_equal :hold, held.gvl
    started = false
    held.define(:S).bind(:Started, -> { started = true; nil })
    guest = Thread.new { held.eval("S::Started.call; loop {}") }
    Timeout.timeout(10) { Thread.pass until started }
    count = 0
    100_000.times { count += 1 }
    assert guest.alive?, "the main thread ran while the guest spun"
    guest.kill
    guest.join(10)
    error = assert_raises(ArgumentError) { Kobako::Sandbox.new(gvl: :maybe) }
    assert_equal "gvl must be :release or :hold (got :maybe)", error.message
  end
end
