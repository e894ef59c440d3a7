# frozen_string_literal: true

require "test_helper"

# Section 8: isolation and security invariants.
class SecurityTest < Minitest::Test
  # A service that records every call it receives.
  class Recorder
    attr_reader :calls

    def initialize
      @calls = []
    end

    def ping = (@calls << :ping; :pong)

    def method_missing(name, *)
      @calls << name
      :reached
    end

    def respond_to_missing?(*) = true
  end

  def test_s01_no_ambient_authority
    box = sandbox
    ["File.read('/etc/passwd')", "`ls`", "system('ls')", "exit 1", "require 'socket'",
     "IO.popen('ls')", "Dir.entries('/')", "$stdin.read", "Process.pid"].each do |code|
      assert_raises(Kobako::SandboxError, code) { box.eval(code) }
    end
    # The environment and the arguments exist, and are empty.
    assert_equal [nil, {}, []], box.eval("[ENV['HOME'], ENV.to_h, ARGV]")
  end

  def test_s02_handles_show_no_host_data
    secret = Struct.new(:password).new("hunter2")
    box = sandbox_with(-> { secret }, "S::Secret")
    inspected = box.eval("h = S::Secret.call; [h.inspect, h.to_s]")
    inspected.each { |text| refute_includes text, "hunter2" }
  end

  def test_s03_only_bound_services_are_reachable
    recorder = Recorder.new
    box = sandbox_with(recorder, "S::Rec")
    assert_raises(Kobako::SandboxError) { box.eval("Other::Thing.call") }
    assert_equal "NoMethodError", assert_raises(Kobako::SandboxError) { box.eval("S::Rec.new.ping") }.klass
    assert_equal "NoMethodError", assert_raises(Kobako::SandboxError) { box.eval("Class.new(S::Rec).new.ping") }.klass
    assert_empty recorder.calls
  end

  def test_s04_handles_cannot_be_forged
    assert_raises(NoMethodError) { Kobako::Handle.new }
    result = sandbox.eval("begin; Kobako::Handle.allocate; rescue NoMethodError => e; e.class.to_s; end")
    assert_equal "NoMethodError", result
  end

  def test_s05_reflection_floor_through_the_guest
    recorder = Recorder.new
    box = sandbox_with(recorder, "S::Rec")
    %w[public_send eval binding display public_method respond_to_guest? system exec spawn open].each do |method|
      # method_missing sends the name itself to the host, whatever the guest
      # defines locally (mruby 4.0 has public_send, which would call ping).
      error = assert_raises(Kobako::ServiceError, method) { box.eval("S::Rec.__send__(:method_missing, :#{method}, :ping)") }
      assert_equal "undefined", category(error)
    end
    assert_empty recorder.calls
  end

  def test_s05_reflection_floor_for_names_the_proxy_answers_locally
    recorder = Recorder.new
    box = sandbox_with(recorder, "S::Rec")
    %i[instance_eval instance_exec instance_variable_get instance_variable_set define_method const_get
       method send __send__ class freeze dup singleton_class extend method_missing].each do |name|
      error = assert_raises(Kobako::ServiceError, name) do
        box.eval("Kobako.__dispatch('S::Rec', :#{name}, ['x'], {}, nil)")
      end
      assert_equal "undefined", category(error), name
      assert_includes error.message, name.to_s
    end
    assert_empty recorder.calls
  end

  def test_e23_unknown_service_path
    recorder = Recorder.new
    box = sandbox_with(recorder, "S::Rec")
    error = assert_raises(Kobako::ServiceError) { box.eval("Kobako.__dispatch('Nope::Thing', :call, [], {}, nil)") }
    assert_equal "undefined", category(error)
    assert_includes error.message, "Nope::Thing"
    error = assert_raises(Kobako::ServiceError) { box.eval("Kobako.__bind(['Admin::Shell']); Admin::Shell.run('x')") }
    assert_includes error.message, "Admin::Shell"
    assert_empty recorder.calls
  end

  def test_s05_reflection_floor_in_the_dispatcher
    recorder = Recorder.new
    klass = Class.new { def self.find(id) = id }
    Kobako::Dispatcher::REFUSED.each_key do |name|
      status, = Kobako::Dispatcher.call(recorder, name, [], {}, nil)
      assert_equal :undefined, status, name
    end
    %i[class freeze dup tap instance_variables frozen? is_a? display].each do |name|
      assert_equal :undefined, Kobako::Dispatcher.call(recorder, name, [], {}, nil).first, name
    end
    %i[new allocate name instance_methods superclass].each do |name|
      assert_equal :undefined, Kobako::Dispatcher.call(klass, name, [], {}, nil).first, name
    end
    assert_equal [:ok, 7], Kobako::Dispatcher.call(klass, :find, [7], {}, nil)
    assert_empty recorder.calls
  end

  def test_s05_callables_answer_only_call_like_methods
    box = sandbox_with(->(x) { x + 1 }, "S::Fn")
    assert_equal [2, 3, 1, true], box.eval("[S::Fn.call(1), S::Fn[2], S::Fn.arity, S::Fn.lambda?]")
    %w[curry to_proc parameters source_location].each do |method|
      error = assert_raises(Kobako::ServiceError, method) { box.eval("S::Fn.#{method}") }
      assert_equal "undefined", category(error), method
    end
  end

  # Once the dispatcher allows a method in an invocation, the extension
  # makes the further calls itself; that holds for one target and one
  # invocation only.
  def test_s05_an_allowed_call_is_kept_for_one_target_and_one_invocation
    reader = Class.new { def curry = :curried }.new
    box = sandbox_with(reader)
    box.define(:S).bind(:Fn, ->(x) { x })
    value = box.eval(<<~RUBY)
      first = S::Obj.curry
      refused = begin; S::Fn.curry; rescue Kobako::ServiceError => e; e.message; end
      [first, S::Obj.curry, refused]
    RUBY
    assert_equal :curried, value[0]
    assert_equal :curried, value[1]
    assert_includes value[2], "method curry is not available to the guest on a Proc"
    def reader.respond_to_guest?(_name) = false
    error = assert_raises(Kobako::ServiceError) { box.eval("S::Obj.curry") }
    assert_equal "undefined", category(error), "a later invocation asks again"
  end

  # The extension makes a call itself only when the method is public at
  # that call: made protected during the invocation, it is refused as
  # public_send refuses it, even when the guest runs inside the method's
  # own receiver (this Sandbox), which a protected method would accept.
  def test_s05_an_allowed_call_reaches_only_a_public_method
    box = sandbox
    def box.peek = :peek
    box.define(:S).bind(:Box, box)
    box.define(:S).bind(:Hide, -> { box.singleton_class.send(:protected, :peek) && nil })
    value = box.eval(<<~RUBY)
      first = S::Box.peek
      S::Hide.call
      [first, (begin; S::Box.peek; rescue Kobako::ServiceError => e; e.message; end)]
    RUBY
    assert_equal :peek, value[0]
    assert_includes value[1], "undefined method 'peek' for a Kobako::Sandbox"
    assert_raises(Kobako::ServiceError) { box.eval("S::Box.peek") }
  end

  def test_s05_method_missing_still_works
    recorder = Recorder.new
    assert_equal :reached, sandbox_with(recorder, "S::Rec").eval("S::Rec.anything(1)")
  end

  def test_s06_gadgets_never_become_handles
    box = sandbox_with(-> { 1.method(:+) }, "S::Gadget")
    assert_equal "runtime", category(assert_raises(Kobako::ServiceError) { box.eval("S::Gadget.call") })
    box = sandbox_with(-> { -> { :inner } }, "S::Proc")
    assert_equal :inner, box.eval("S::Proc.call.call")
  end

  def test_s07_clean_interpreter_for_every_invocation
    box = sandbox
    box.eval("$g = 1; class Integer; def +(o) = 0; end; $stdout = $stderr; @@x = 1 rescue nil; srand(5)")
    assert_equal [nil, 3], box.eval("[$g, 1 + 2]")
    box.eval("puts 'out'")
    assert_equal "out\n", box.stdout
  end

  def test_s08_no_host_internals_in_guest_visible_errors
    failing = Class.new { def boom = raise("plain message") }.new
    box = sandbox_with(failing, "S::F")
    message = box.eval("begin; S::F.boom; rescue => e; e.message + e.backtrace.to_a.join; end")
    refute_includes message, __FILE__
    refute_includes message, ".rb:"
    assert_includes message, "RuntimeError: plain message"
  end

  def test_s09_the_guest_cannot_harm_the_host
    box = sandbox(timeout: 2)
    ["loop {}", "a = []; loop { a << a.dup }", "def f = f\nf", "raise Exception", "exit!", "abort"].each do |code|
      assert_raises(Kobako::Error, code) { box.eval(code) }
    end
    assert_equal 1, box.eval("1")
  end
end
