# frozen_string_literal: true

require "test_helper"

# Section 5: entrypoints and preload.
class EntrypointsTest < Minitest::Test
  def compile(name, code)
    sandbox.send(:__compile, name, code)
  end

  def test_b31_run_calls_a_preloaded_entrypoint
    box = sandbox
    box.preload(code: "Adder = ->(a, b) { a + b }", name: :Adder)
    assert_equal 5, box.run(:Adder, 2, 3)
    assert_equal 7, box.run("Adder", 3, 4)
  end

  def test_b31_keywords_arrive_as_a_trailing_hash
    box = sandbox
    box.preload(code: 'class Greeter; def self.call(name, opts = {}) = "#{opts[:greeting]}, #{name}"; end',
                name: :Greeter)
    assert_equal "hi, ann", box.run(:Greeter, "ann", greeting: "hi")
  end

  def test_b31_any_callable_is_an_entrypoint_and_backtraces_name_snippets
    box = sandbox
    box.preload(code: "Obj = Object.new\ndef Obj.call = raise('deep')", name: :Obj)
    error = assert_raises(Kobako::SandboxError) { box.run(:Obj) }
    assert(error.backtrace_lines.any? { |line| line.include?("(snippet:Obj):2") })
    refute(error.backtrace_lines.any? { |line| line.include?("(eval)") })
  end

  def test_b32_preload_returns_self_and_replays_in_order
    box = sandbox
    assert_same box, box.preload(code: "BASE = 10", name: :Base)
    box.preload(code: "Plus = ->(x) { BASE + x }", name: :Plus)
    assert_equal 11, box.run(:Plus, 1)
    assert_equal 12, box.run(:Plus, 2)
  end

  def test_b32_binary_snippets
    box = sandbox
    box.preload(binary: compile("Twice", "Twice = ->(x) { x * 2 }"))
    assert_equal 8, box.run(:Twice, 4)
  end

  def test_b32_snippet_top_level_runs_every_time
    box = sandbox
    box.preload(code: "puts 'replayed'", name: :Noisy)
    box.eval("1")
    assert_equal "replayed\n", box.stdout
    box.eval("2")
    assert_equal "replayed\n", box.stdout
  end

  def test_b33_first_invocation_seals_preload
    box = sandbox
    box.eval("1")
    assert_raises(ArgumentError) { box.preload(code: "X = 1", name: :X) }
    assert_raises(ArgumentError) { box.preload(binary: compile("X", "X = 1")) }
  end

  def test_b33_a_preflight_failure_does_not_seal
    box = sandbox
    assert_raises(Kobako::SandboxError) { box.eval(nil) }
    assert_raises(TypeError) { box.run(42) }
    box.define(:Late).bind(:M, -> { :ok })
    assert_equal :ok, box.eval("Late::M.call")
  end

  def test_e14_a_snippet_that_raises_during_replay
    box = sandbox
    box.preload(code: "\nraise ArgumentError, 'bad snippet'", name: :Broken)
    2.times do
      error = assert_raises(Kobako::SandboxError) { box.eval("1") }
      assert_equal "sandbox", error.origin
      assert_equal "ArgumentError", error.klass
      assert(error.backtrace_lines.any? { |line| line.include?("(snippet:Broken):2") })
    end
  end

  def test_e15_preloaded_source_that_does_not_compile
    box = sandbox
    error = assert_raises(Kobako::SandboxError) { box.preload(code: "def (", name: :Broken) }
    assert_equal "SyntaxError", error.klass
    assert_includes error.message, "(snippet:Broken)"
    box.preload(code: "Ok = ->() { :fine }", name: :Broken)
    assert_equal :fine, box.run(:Ok)
  end

  def test_e16_bytecode_version_mismatch
    bytecode = compile("Old", "Old = 1").dup
    bytecode[4, 4] = "0200"
    box = sandbox
    box.preload(binary: bytecode)
    2.times do
      error = assert_raises(Kobako::BytecodeError) { box.eval("1") }
      assert_equal "Kobako::BytecodeError", error.klass
    end
  end

  def test_e17_corrupt_bytecode
    bytecode = compile("Cut", "Cut = [1, 2, 3].map { |x| x * 2 }")
    box = sandbox
    box.preload(binary: bytecode[0, bytecode.bytesize / 2])
    2.times { assert_raises(Kobako::BytecodeError) { box.eval("1") } }
  end

  def test_e18_x03_undefined_entrypoint_names_the_available_ones
    box = sandbox
    box.define(:KV).bind(:Store, -> {})
    box.preload(code: "Adder = ->(a, b) { a + b }\nGreeter = ->(n) { n }\nVERSION = 1\nHelper = Module.new", name: :Lib)
    error = assert_raises(Kobako::SandboxError) { box.run(:Addr, 1, 2) }
    assert_equal "Kobako::SandboxError", error.klass
    assert_includes error.message, "Addr"
    assert_includes error.message, "available entrypoints: Adder, Greeter"
    # The details list every constant the snippets defined (not the service
    # namespaces), as Kobako 0.6.1 does.
    assert_equal({ "available" => %i[Adder Greeter Helper VERSION] }, error.details)
  end

  def test_e19_the_entrypoint_is_not_callable
    box = sandbox
    box.preload(code: "Config = {a: 1}", name: :Config)
    error = assert_raises(Kobako::SandboxError) { box.run(:Config) }
    assert_includes error.message, "call"
    assert_equal "Kobako::SandboxError", error.klass
  end

  def test_e38_run_target_of_the_wrong_type
    assert_raises(TypeError) { sandbox.run(42) }
  end

  def test_e39_malformed_run_target
    [:adder, "Outer::Inner", ""].each do |target|
      assert_raises(ArgumentError, target.inspect) { sandbox.run(target) }
    end
  end

  def test_e40_a_handle_passed_to_run
    handle = Kobako::Handle.send(:allocate)
    box = sandbox
    box.preload(code: "Id = ->(*a) { a }", name: :Id)
    assert_raises(ArgumentError) { box.run(:Id, [handle]) }
    assert_raises(ArgumentError) { box.run(:Id, key: { deep: handle }) }
  end

  def test_e41_non_symbol_keyword_key
    assert_raises(ArgumentError) { sandbox.run(:X, **{ "a" => 1 }) }
  end

  def test_e42_run_arguments_that_cannot_be_sent
    box = sandbox
    box.preload(code: "Id = ->(*a) { a }", name: :Id)
    assert_raises(RangeError) { box.run(:Id, 2**64) }
    deep = (1..200).reduce([]) { |acc, _| [acc] }
    assert_raises(ArgumentError) { box.run(:Id, deep) }
    cyclic = []
    cyclic << cyclic
    assert_raises(ArgumentError) { box.run(:Id, cyclic) }
    assert_raises(ArgumentError) { box.run(:Id, { Object.new => 1 }) }
    assert_raises(ArgumentError) { box.run(:Id, 1.method(:+)) }
    assert_raises(ArgumentError) { box.run(:Id, binding) }
    assert_raises(ArgumentError) { box.run(:Id, "\xff".b.to_sym) }
    assert_equal [[1]], box.run(:Id, [1])
  end

  def test_e43_preload_form_misuse
    box = sandbox
    assert_raises(ArgumentError) { box.preload }
    assert_raises(ArgumentError) { box.preload(code: "1", binary: "x") }
    assert_raises(ArgumentError) { box.preload(binary: "x", name: :X) }
    assert_raises(ArgumentError) { box.preload(code: "1") }
    assert_raises(ArgumentError) { box.preload(code: 1, name: :X) }
    assert_raises(ArgumentError) { box.preload(binary: 1) }
  end

  def test_e44_bad_snippet_name
    assert_raises(ArgumentError) { sandbox.preload(code: "1", name: :bad_name) }
  end

  def test_e45_duplicate_snippet_name
    box = sandbox
    box.preload(code: "A = 1", name: :Name)
    assert_raises(ArgumentError) { box.preload(code: "B = 1", name: :Name) }
    bytecode = compile("Name", "C = 1")
    box.preload(binary: bytecode)
    box.preload(binary: bytecode)
  end

  def test_e46_preload_after_the_seal
    box = sandbox
    box.run(:Nope) rescue nil # rubocop:disable Style/RescueModifier
    assert_raises(ArgumentError) { box.preload(code: "A = 1", name: :A) }
  end

  def test_e47_snippet_too_large
    assert_raises(ArgumentError) { sandbox.preload(code: "#" * ((16 << 20) + 1), name: :Huge) }
  end
end
