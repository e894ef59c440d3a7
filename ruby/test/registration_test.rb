# frozen_string_literal: true

require "test_helper"

# Section 2: registration.
class RegistrationTest < Minitest::Test
  def test_b07_define_returns_a_namespace_with_a_name
    namespace = sandbox.define(:KV)
    assert_instance_of Kobako::Namespace, namespace
    assert_equal "KV", namespace.name
  end

  def test_b07_an_empty_namespace_is_a_guest_module
    box = sandbox
    box.define(:Empty)
    assert_equal "Empty", box.eval("Empty.to_s")
    assert box.eval("Empty.is_a?(Module)")
  end

  # Every module and class the guest defines at the top level under its own
  # name, as the guest itself lists them (Kobako is reserved; an alias such
  # as Fixnum is the same module as Integer).
  def guest_modules
    sandbox.eval(<<~RUBY) - ["Kobako"]
      Object.constants.select { |c| m = Object.const_get(c); m.is_a?(Module) && m.name == c.to_s }.map(&:to_s)
    RUBY
  end

  def test_b38_a_namespace_named_after_any_guest_module_binds_and_the_module_keeps_working
    names = guest_modules
    assert_includes names, "Data"
    box = sandbox
    names.each { |name| box.define(name).bind(:Fetch, ->(id) { "#{name}:#{id}" }) }
    fetched = box.eval("#{names.inspect}.map { |n| Object.const_get(n)::Fetch.call(1) }")
    assert_equal names.map { |n| "#{n}:1" }, fetched
    assert_equal ["Data:a", 1, 2, 2, 0, "AB", "[1]", 2], box.eval(<<~RUBY)
      [Data::Fetch.call("a"), Data.define(:x).new(x: 1).x, Struct.new(:a).new(2).a,
       Set[1, 2].size, Time.at(0).to_i, "ab".upcase, JSON.generate([1]), 3.clamp(1, 2)]
    RUBY
  end

  def test_b38_a_namespace_named_after_a_constant_that_is_no_module_fails_clearly
    box = sandbox
    box.define(:ENV).bind(:Fetch, -> { 1 })
    error = assert_raises(Kobako::SandboxError) { box.eval("1") }
    assert_equal "TypeError", error.klass
    assert_match(/\Acannot bind ENV::Fetch: ENV is \w+, not a module or class\z/, error.message)
  end

  def test_b08_bind_returns_the_namespace_and_reaches_the_object
    box = sandbox
    namespace = box.define(:KV)
    assert_same namespace, namespace.bind(:Store, KobakoTestHelpers::KV.new)
    namespace.bind(:Lookup, ->(k) { k * 2 })
    assert_equal [nil, 4], box.eval("[KV::Store.get(:a), KV::Lookup.call(2)]")
  end

  def test_b08_classes_and_modules_can_be_bound
    klass = Class.new { def self.twice(x) = x * 2 }
    mod = Module.new { def self.greet(name) = "hi #{name}" }
    box = sandbox
    box.define(:Lib).bind(:Klass, klass).bind(:Mod, mod)
    assert_equal [6, "hi ruby"], box.eval("[Lib::Klass.twice(3), Lib::Mod.greet('ruby')]")
  end

  def test_b09_namespaces_are_separate
    box = sandbox
    box.define(:A).bind(:Store, -> { :a })
    box.define(:B).bind(:Store, -> { :b })
    assert_equal %i[a b], box.eval("[A::Store.call, B::Store.call]")
    other = sandbox
    assert_equal false, other.eval("Object.const_defined?(:A)")
  end

  def test_b10_define_again_returns_the_same_namespace
    box = sandbox
    first = box.define(:NS)
    first.bind(:M, -> { 1 })
    assert_same first, box.define(:NS)
    assert_same first, box.define("NS")
  end

  def test_b11_e37_binding_a_member_twice_fails_and_keeps_the_first
    box = sandbox
    namespace = box.define(:NS).bind(:M, -> { :first })
    assert_raises(ArgumentError) { namespace.bind(:M, -> { :second }) }
    assert_equal :first, box.eval("NS::M.call")
  end

  def test_e35_bad_names_are_refused
    box = sandbox
    [:foo, "A::B", "", :"Ünï", :Kobako, 42].each do |name|
      assert_raises(ArgumentError, name.inspect) { box.define(name) }
    end
    namespace = box.define(:NS)
    [:foo, "A::B", ""].each do |name|
      assert_raises(ArgumentError, name.inspect) { namespace.bind(name, Object.new) }
    end
  end

  def test_e36_registration_after_the_seal_fails
    box = sandbox
    namespace = box.define(:NS).bind(:A, -> { 1 })
    box.eval("nil")
    assert_raises(ArgumentError) { box.define(:Other) }
    assert_raises(ArgumentError) { box.define(:NS) }
    assert_raises(ArgumentError) { namespace.bind(:B, -> { 2 }) }
    assert_equal 1, box.eval("NS::A.call")
  end

  # X-08: a setup call racing the first invocation either completes before
  # the seal (that invocation and every later one see it) or fails with
  # ArgumentError (no invocation sees it).
  def test_x08_a_setup_call_racing_the_first_invocation
    probe = "defined?(NS::Late) ? NS::Late.call : :absent"
    30.times do
      box = sandbox
      namespace = box.define(:NS).bind(:A, -> { 1 })
      start = Queue.new
      invoker = Thread.new { start.pop && box.eval(probe) }
      binder = Thread.new do
        start.pop
        namespace.bind(:Late, -> { :late })
        :bound
      rescue ArgumentError => e
        assert_includes e.message, "sealed"
        :refused
      end
      2.times { start << true }
      bound, seen = binder.value, invoker.value
      assert_equal({ bound: :late, refused: :absent }.fetch(bound), seen)
      assert_equal seen, box.eval(probe)
    end
  end
end
