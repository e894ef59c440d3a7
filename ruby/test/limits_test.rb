# frozen_string_literal: true

require "test_helper"

# Section 7: limits and caps.
class LimitsTest < Minitest::Test
  def test_l01_timeout_stops_a_spinning_guest
    box = sandbox(timeout: 0.05)
    assert_raises(Kobako::TimeoutError) { box.eval("i = 0; loop { i += 1 }") }
  end

  def test_l01_time_in_services_counts_but_is_not_interrupted
    finished = []
    slow = -> { sleep 0.2; finished << true; :slept }
    box = sandbox_with(slow, "S::Slow", timeout: 0.05)
    assert_raises(Kobako::TimeoutError) { box.eval("S::Slow.call; loop {}") }
    assert_equal [true], finished
  end

  def test_l02_memory_is_growth_above_the_baseline
    box = sandbox(memory_limit: 65_536)
    assert_nil box.eval("nil")
    3.times { assert_equal 10, box.eval("'x' * 10").size }
  end

  def test_l03_output_limits_clip_and_flag
    box = sandbox(stdout_limit: 5, stderr_limit: 3)
    assert_equal :done, box.eval("print 'abcdefgh'; $stderr.print 'xyz'; :done")
    assert_equal "abcde", box.stdout
    assert box.stdout_truncated?
    assert_equal "xyz", box.stderr
    refute box.stderr_truncated?
  end

  def test_l03_a_limit_can_split_a_character
    box = sandbox(stdout_limit: 1)
    box.eval("print 'é'")
    assert_equal "\xC3".b, box.stdout
    assert box.stdout_truncated?
  end

  def test_l04_message_size
    box = sandbox(memory_limit: nil)
    big = "x" * (15 << 20)
    box.define(:S).bind(:Big, -> { big })
    assert_equal 15 << 20, box.eval("S::Big.call.size")
    error = assert_raises(Kobako::SandboxError) { box.eval("'y' * (17 << 20)") }
    assert_match(/16 MiB|too large|larger/, error.message)
  end

  def test_l05_nesting_depth_128
    box = sandbox
    box.preload(code: "Id = ->(x) { x }", name: :Id)
    deep = (1..128).reduce(1) { |acc, _| [acc] }
    assert_equal deep, box.eval("v = 1; 128.times { v = [v] }; v")
    assert_raises(ArgumentError) { box.run(:Id, [deep]) }
    assert_equal "Kobako::SandboxError", assert_raises(Kobako::SandboxError) {
      box.eval("v = 1; 129.times { v = [v] }; v")
    }.klass
  end

  def test_l06_handle_id_cap_hook
    box = sandbox_near_the_handle_cap(0x7fff_fffe)
    box.define(:S).bind(:Make, -> { Object.new })
    assert_equal 2, box.eval("[S::Make.call, S::Make.call].size")
    assert_raises(Kobako::HandlerExhaustedError) { box.eval("3.times { S::Make.call }") }
  end

  def test_l07_unbounded_recursion_ends_cleanly
    box = sandbox(timeout: 10)
    error = assert_raises(Kobako::Error) { box.eval("def f(n) = f(n + 1)\nf(0)") }
    # The guest's stack check comes first (E-07), before any engine limit.
    assert_instance_of Kobako::SandboxError, error
    assert_equal "SystemStackError", error.klass
    assert_equal 1, box.eval("1")
  end
end
