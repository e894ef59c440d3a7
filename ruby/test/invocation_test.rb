# frozen_string_literal: true

require "test_helper"

# K-03: objects bound for one invocation only.
class InvocationTest < Minitest::Test
  def declared
    box = sandbox
    box.bind("Req::Current")
    box.define(:Req).bind(:Tenant, -> { "shared" })
    box.preload(code: "Whoami = ->(greeting) { \"#{'#{greeting}'} #{'#{Req::Current.login}'}\" }", name: :Who)
    box
  end

  Person = Struct.new(:login)

  def test_k03_eval_and_run_fill_a_declared_path_for_one_invocation
    box = declared
    ann = Person.new("ann")
    assert_equal %w[ann shared], box.eval("[Req::Current.login, Req::Tenant.call]") { |ctx| ctx.bind("Req::Current", ann) }
    assert_equal "hi bob", box.run(:Whoami, "hi") { |ctx| ctx.bind(:"Req::Current", Person.new("bob")) }
    unfilled = box.eval("begin; Req::Current.login; rescue Kobako::ServiceError => e; [Req::Current.class.name, e.message]; end")
    assert_equal ["Class", "Req::Current is declared but nothing is bound to it for this invocation"], unfilled
    assert_raises(Kobako::ServiceError) { box.run(:Whoami, "hi") }
  end

  def test_k03_a_binding_shadows_a_bound_path_for_one_invocation
    box = declared
    assert_equal "acme", box.eval("Req::Tenant.call") { |ctx| ctx.bind("Req::Tenant", -> { "acme" }) }
    assert_equal "shared", box.eval("Req::Tenant.call")
  end

  def test_k03_threads_sharing_a_sandbox_keep_their_own_objects
    box = declared
    box.eval("1")
    threads = %w[ann bob cyd].map do |name|
      Thread.new do
        person = Person.new(name)
        Array.new(50) { box.run(:Whoami, "hi") { |ctx| ctx.bind("Req::Current", person) } }.uniq
      end
    end
    assert_equal [["hi ann"], ["hi bob"], ["hi cyd"]], threads.map(&:value)
  end

  def test_k03_misuse_is_an_argument_error
    box = declared
    kept = nil
    box.eval("1") { |ctx| kept = ctx }
    error = assert_raises(ArgumentError) { kept.bind("Req::Current", 1) }
    assert_includes error.message, "has ended"
    error = assert_raises(ArgumentError) { box.eval("1") { |ctx| ctx.bind("Req::Other", 1) } }
    assert_includes error.message, "cannot bind Req::Other for one invocation"
    assert_raises(ArgumentError) { box.eval("1") { |ctx| ctx.bind("nope", 1) } }
    assert_raises(ArgumentError) { sandbox.bind("Kobako::X") }
    assert_raises(ArgumentError) { sandbox.bind("A::B", 1, 2) }
    assert_raises(ArgumentError) { box.bind("Req::Late") }
    # bind with an object is define(ns).bind(member, object).
    other = sandbox
    assert_same other, other.bind("Calc::Add", ->(a, b) { a + b })
    assert_equal 5, other.eval("Calc::Add.call(2, 3)")
  end
end
