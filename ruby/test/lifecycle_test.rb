# frozen_string_literal: true

require "test_helper"

# Section 1: lifecycle and invocation.
class LifecycleTest < Minitest::Test
  def test_b01_construct_with_defaults_and_readers
    box = sandbox
    assert_equal 60.0, box.timeout
    assert_equal 1 << 20, box.memory_limit
    assert_equal 1 << 20, box.stdout_limit
    assert_equal 1 << 20, box.stderr_limit
    assert_nil box.wasm_path
    assert_equal :hermetic, box.profile
    assert_equal Kobako::Usage::EMPTY, box.usage
  end

  def test_b01_nil_disables_each_cap
    box = sandbox(timeout: nil, memory_limit: nil, stdout_limit: nil, stderr_limit: nil)
    assert_nil box.timeout
    assert_nil box.memory_limit
    assert_equal 3, box.eval("1 + 2")
  end

  def test_b01_integer_timeout_reads_back_as_float
    assert_equal 2.0, sandbox(timeout: 2).timeout
  end

  def test_b02_eval_returns_the_last_expression
    assert_equal 6, sandbox.eval("[1, 2, 3].sum")
  end

  def test_b02_backtrace_file_is_eval
    error = assert_raises(Kobako::SandboxError) { sandbox.eval("\n\nraise 'boom'") }
    assert_match(/\(eval\):3/, error.backtrace_lines.first)
  end

  def test_b03_later_invocations_see_no_earlier_state
    box = sandbox
    box.eval("$x = 1; FOO = 2; class String; def shout = upcase; end")
    assert_equal [nil, false, false], box.eval("[$x, Object.const_defined?(:FOO), ''.respond_to?(:shout)]")
  end

  def test_b03_outputs_reset_for_each_invocation
    box = sandbox
    box.eval("puts 'one'")
    box.eval("1")
    assert_equal "", box.stdout
  end

  def test_b03_sandbox_usable_after_a_trap
    box = sandbox(timeout: 0.2)
    assert_raises(Kobako::TimeoutError) { box.eval("loop {}") }
    assert_equal 2, box.eval("1 + 1")
  end

  def test_b04_outputs_hold_what_the_guest_wrote
    box = sandbox
    box.eval("puts 'out'; print 'x'; $stderr.puts 'err'; warn 'w'; STDOUT.write('y'); $stdout << 'z'; nil")
    assert_equal "out\nxyz", box.stdout
    assert_equal "err\nw\n", box.stderr
    assert_equal box.stdout, box.stdout
    assert_equal Encoding::UTF_8, box.stdout.encoding
    refute box.stdout_truncated?
    refute box.stderr_truncated?
  end

  def test_b04_invalid_utf8_output_is_binary
    box = sandbox
    box.eval('print "\xff"')
    assert_equal Encoding::ASCII_8BIT, box.stdout.encoding
    assert_equal "\xff".b, box.stdout
  end

  def test_b04_outputs_survive_an_error
    box = sandbox
    assert_raises(Kobako::SandboxError) { box.eval("puts 'before'; raise 'x'") }
    assert_equal "before\n", box.stdout
  end

  def test_b05_readers_before_any_invocation
    box = sandbox
    assert_equal "", box.stdout
    assert_equal Encoding::UTF_8, box.stdout.encoding
    assert_equal "", box.stderr
    refute box.stdout_truncated?
    refute box.stderr_truncated?
    assert_equal 0.0, box.usage.wall_time
    assert_equal 0, box.usage.memory_peak
  end

  def test_b06_nil_empty_and_comment_sources_return_nil
    box = sandbox
    assert_nil box.eval("nil")
    assert_nil box.eval("")
    assert_nil box.eval("# only a comment")
  end

  def test_b06_value_types_convert
    value = sandbox.eval('[nil, true, false, 1, 2.5, "s", :sym, {a: [1]}]')
    assert_equal [nil, true, false, 1, 2.5, "s", :sym, { a: [1] }], value
  end

  def test_b35_usage_after_an_invocation
    box = sandbox(memory_limit: nil)
    box.eval("a = 'x' * 4_000_000; a.size")
    assert_kind_of Float, box.usage.wall_time
    assert_operator box.usage.wall_time, :>, 0.0
    assert_operator box.usage.memory_peak, :>, 0
  end

  def test_b35_memory_peak_counts_what_the_script_allocated
    box = sandbox(memory_limit: 16 << 20)
    box.eval("1")
    box.eval('"x" * 200_000; nil')
    assert_operator box.usage.memory_peak, :>=, 200_000
  end

  def test_b35_usage_kept_on_memory_limit
    box = sandbox(memory_limit: 1 << 20)
    assert_raises(Kobako::MemoryLimitError) { box.eval("a = []; loop { a << 'x' * 100_000 }") }
    assert_operator box.usage.memory_peak, :<=, 1 << 20
    assert_operator box.usage.memory_peak, :>, 0
  end
end
