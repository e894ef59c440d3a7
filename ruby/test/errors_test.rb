# frozen_string_literal: true

require "test_helper"
require "tmpdir"

# Section 6: errors.
class ErrorsTest < Minitest::Test
  # A service whose methods fail in the ways section 6.3 lists.
  class Failing
    def boom = raise("kaput")
    def arity(one) = one
    def keywords(a:) = a
    def plain(value) = value
    def raises_argument = raise(ArgumentError, "bad input")
    def big = 2**64
    def deep = (1..200).reduce([]) { |acc, _| [acc] }
    def gadget = method(:plain)
    def bad_symbol = "\xff".b.to_sym

    private

    def hidden = :secret
  end

  def failing_box
    sandbox_with(Failing.new, "S::F")
  end

  def test_t01_four_outcomes
    box = sandbox(timeout: 0.2)
    assert_equal 1, box.eval("1")
    assert_raises(Kobako::TrapError) { box.eval("loop {}") }
    assert_raises(Kobako::SandboxError) { box.eval("raise 'x'") }
    assert_raises(Kobako::ServiceError) { box.eval("raise Kobako::ServiceError, 'x'") }
    assert_equal 2, box.eval("2")
  end

  def test_t01_error_hierarchy
    assert_operator Kobako::Error, :<, StandardError
    assert_operator Kobako::TimeoutError, :<, Kobako::TrapError
    assert_operator Kobako::MemoryLimitError, :<, Kobako::TrapError
    assert_operator Kobako::HandlerExhaustedError, :<, Kobako::SandboxError
    assert_operator Kobako::BytecodeError, :<, Kobako::SandboxError
    assert_operator Kobako::ModuleNotBuiltError, :<, Kobako::SetupError
    [Kobako::TrapError, Kobako::SandboxError, Kobako::ServiceError, Kobako::SetupError].each do |klass|
      assert_operator klass, :<, Kobako::Error
    end
  end

  def test_t02_a_script_raising_service_error_has_origin_service
    error = assert_raises(Kobako::ServiceError) { sandbox.eval("raise Kobako::ServiceError, 'mine'") }
    assert_equal "service", error.origin
    assert_equal "mine", error.message
  end

  def test_t02_a_rescued_service_failure_continues
    assert_equal "rescued", failing_box.eval("begin; S::F.boom; rescue Kobako::ServiceError; 'rescued'; end")
  end

  def test_t03_error_fields
    error = assert_raises(Kobako::SandboxError) { sandbox.eval("def f = raise(IndexError, 'idx')\nf") }
    assert_equal "idx", error.message
    assert_equal "sandbox", error.origin
    assert_equal "IndexError", error.klass
    assert_kind_of Array, error.backtrace_lines
    assert(error.backtrace_lines.all? { |line| line.is_a?(String) })
    assert_nil error.details
  end

  def test_e04_timeout
    box = sandbox(timeout: 0.1)
    error = assert_raises(Kobako::TimeoutError) { box.eval("puts 'a'; begin; loop {}; rescue Exception; :no; end") }
    assert_includes error.message, "timeout"
    assert_equal "a\n", box.stdout
    assert_operator box.usage.wall_time, :>=, 0.1
  end

  def test_e05_memory_limit
    box = sandbox(memory_limit: 2 << 20)
    error = assert_raises(Kobako::MemoryLimitError) do
      box.eval("a = []; begin; loop { a << 'x' * 65536 }; rescue Exception; :no; end")
    end
    assert_includes error.message, "memory_limit"
    assert_operator box.usage.memory_peak, :<=, 2 << 20
  end

  def test_e07_unrescued_guest_exception
    error = assert_raises(Kobako::SandboxError) { sandbox.eval("nil.foo") }
    assert_equal "NoMethodError", error.klass
    assert_equal "sandbox", error.origin
  end

  def test_e08_source_that_does_not_compile
    box = sandbox
    error = assert_raises(Kobako::SandboxError) { box.eval("puts 'ran'\ndef (") }
    assert_equal "SyntaxError", error.klass
    assert_equal "(eval):2: syntax error, unexpected end of file", error.message
    assert_equal "", box.stdout
  end

  def test_e09_eval_input_rejected_in_preflight
    box = sandbox
    box.eval("print 'kept'")
    [nil, 42, :sym, "#" * ((16 << 20) + 1)].each do |code|
      error = assert_raises(Kobako::SandboxError) { box.eval(code) }
      assert_nil error.origin
      assert_nil error.klass
      assert_nil error.backtrace_lines
    end
    assert_equal "kept", box.stdout
  end

  def test_e10_invocation_value_cannot_be_sent
    box = sandbox
    ["Object.new", "(1..2)", "proc {}", "a = []; a << a; a", "(1..200).reduce([]) { |acc, _| [acc] }"].each do |code|
      error = assert_raises(Kobako::SandboxError, code) { box.eval(code) }
      assert_equal "Kobako::SandboxError", error.klass, code
    end
    error = assert_raises(Kobako::SandboxError) { box.eval("Object.new") }
    assert_includes error.message, "Object"
  end

  def test_e13_guest_dispatch_argument_cannot_be_sent
    box = failing_box
    # An object crosses as its to_s, as Kobako 0.6.1 sends it.
    assert_equal ["1..2", ["p"], { "p" => "q" }], box.eval(<<~RUBY)
      o = Object.new
      def o.to_s = "p"
      [S::F.plain(1..2), S::F.plain([o]), S::F.plain({ o => Struct.new(:a) { def to_s = "q" }.new(1) })]
    RUBY
    error = assert_raises(Kobako::SandboxError) { box.eval("o = Object.new; def o.to_s = 1; S::F.plain(o)") }
    assert_equal "TypeError", error.klass
    deep = "v = 1; 200.times { v = [v] }; S::F.plain(v)"
    assert_equal "ArgumentError", assert_raises(Kobako::SandboxError) { box.eval(deep) }.klass
  end

  def test_e22_a_service_method_raises
    error = assert_raises(Kobako::ServiceError) { failing_box.eval("S::F.boom") }
    assert_equal "RuntimeError: kaput", error.message
    assert_equal "runtime", category(error)
    assert_equal "service", error.origin
    assert_equal "Kobako::ServiceError", error.klass
  end

  def test_e22_missing_and_private_methods_are_runtime_faults
    box = failing_box
    %w[nope hidden].each do |method|
      error = assert_raises(Kobako::ServiceError) { box.eval("S::F.#{method}") }
      assert_equal "runtime", category(error)
      assert_includes error.message, "NoMethodError"
      refute_includes error.message, "0x", "no object dump"
    end
  end

  def test_e25_argument_mismatch
    box = failing_box
    ["S::F.arity", "S::F.arity(1, 2)", "S::F.keywords(a: 1, b: 2)", "S::F.plain(1, k: 2)", "S::F.raises_argument"].each do |code|
      error = assert_raises(Kobako::ServiceError, code) { box.eval(code) }
      assert_equal "argument", category(error), code
      assert_includes error.message, "ArgumentError", code
    end
    assert_equal 1, box.eval("S::F.keywords(a: 1)")
  end

  def test_e26_refused_methods
    box = failing_box
    %w[public_send eval binding display public_method respond_to_guest? system exec spawn open].each do |method|
      # method_missing sends the name itself, as a script's call of a name the
      # guest does not define would (mruby 4.0 answers public_send itself).
      error = assert_raises(Kobako::ServiceError, method) { box.eval("S::F.__send__(:method_missing, :#{method}, :plain, 1)") }
      assert_equal "undefined", category(error), method
      assert_includes error.message, method
    end
  end

  def test_e27_service_results_that_cannot_be_sent
    box = failing_box
    %w[big deep gadget bad_symbol].each do |method|
      error = assert_raises(Kobako::ServiceError, method) { box.eval("S::F.#{method}") }
      assert_equal "runtime", category(error), method
    end
    assert_includes assert_raises(Kobako::ServiceError) { box.eval("S::F.big") }.message, "64-bit"
  end

  def test_e32_invalid_construction_options
    [
      { timeout: 0 }, { timeout: -1 }, { timeout: Float::NAN }, { timeout: Float::INFINITY }, { timeout: "1" },
      { memory_limit: 0 }, { memory_limit: -1 }, { memory_limit: 1.5 }, { stdout_limit: "x" },
      { stderr_limit: 0 }, { profile: :open }
    ].each do |options|
      error = assert_raises(ArgumentError, options.inspect) { Kobako::Sandbox.new(**options) }
      assert_includes error.message, options.keys.first.to_s
    end
  end

  def test_e33_missing_guest_binary
    assert_raises(Kobako::ModuleNotBuiltError) { Kobako::Sandbox.new(wasm_path: "/nonexistent/kobako.wasm") }
  end

  def test_e34_unusable_guest_binary
    Dir.mktmpdir do |dir|
      path = File.join(dir, "bad.wasm")
      File.binwrite(path, "not wasm")
      2.times { assert_raises(Kobako::SetupError) { Kobako::Sandbox.new(wasm_path: path) } }
    end
  end

  def test_e26_a_refusal_names_the_class_with_its_article
    { "KobakoArticleAccounts" => "a", "AccountsForArticleTest" => "an" }.each do |name, article|
      Object.const_set(name, Class.new) unless Object.const_defined?(name, false)
      box = sandbox_with(Object.const_get(name).new, "S::Obj")
      error = assert_raises(Kobako::ServiceError) { box.eval("S::Obj.__send__(:method_missing, :system, 'ls')") }
      assert_includes error.message, "not available to the guest on #{article} #{name}"
    end
  end

  def test_p05_kobako_wording_for_keywords_and_late_registration
    box = sandbox
    box.preload(code: "Echo = ->(*a, **k) { [a, k] }", name: "Echo")
    error = assert_raises(ArgumentError) { box.run(:Echo, 1, "k" => 2) }
    assert_includes error.message, "keyword argument keys must be Symbols"
    box.eval("1")
    error = assert_raises(ArgumentError) { box.preload(code: "X = 1", name: "X") }
    assert_includes error.message, "after first Sandbox invocation"
  end
end
