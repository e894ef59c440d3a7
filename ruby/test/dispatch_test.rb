# frozen_string_literal: true

require "test_helper"
require "stringio"

# Section 3: dispatch and Handles.
class DispatchTest < Minitest::Test
  def test_b12_dispatch_calls_bound_object
    kv = KobakoTestHelpers::KV.new
    box = sandbox_with(kv, "MyService::KV")
    assert_equal 2, box.eval('MyService::KV.get("a", 2, ttl: 5)')
    assert_equal [[:get, "a", [2], 5]], kv.calls
  end

  def test_b12_no_keywords_means_no_double_splat
    plain = Class.new { def add(a, b) = a + b }.new
    assert_equal 3, sandbox_with(plain).eval("S::Obj.add(1, 2)")
  end

  def test_b12_hash_literal_stays_positional
    echo = Class.new { def args(*a, **k) = [a, k] }.new
    assert_equal [[1, { a: 1 }], {}], sandbox_with(echo).eval("S::Obj.args(1, {a: 1})")
  end

  def test_b13_wire_values_are_copied
    data = { "list" => [1, 2] }
    box = sandbox_with(-> { data }, "S::Data")
    assert_equal [1, 2], box.eval("d = S::Data.call; d['list'] << 3; S::Data.call['list']")
    assert_equal [1, 2], data["list"]
  end

  def test_b14_objects_become_handles
    io = StringIO.new("line one\n")
    box = sandbox_with(-> { io }, "S::Io")
    assert_equal ["Kobako::Handle", "line one\n"], box.eval("h = S::Io.call; [h.class.to_s, h.gets]")
  end

  def test_b14_an_array_with_an_object_is_one_handle
    pair = [1, Object.new]
    box = sandbox_with(-> { pair }, "S::Pair")
    assert_same pair, box.eval("S::Pair.call")
  end

  def test_b15_each_return_gets_a_new_handle
    object = Object.new
    box = sandbox_with(-> { object }, "S::Same")
    assert_equal false, box.eval("S::Same.call.equal?(S::Same.call)")
    assert_equal [object, object], box.eval("[S::Same.call, S::Same.call]")
  end

  def test_b16_handles_as_arguments_restore_the_object
    object = Object.new
    seen = []
    box = sandbox
    box.define(:S).bind(:Make, -> { object }).bind(:Take, ->(*a, **k) { seen << [a, k]; :ok })
    box.eval("h = S::Make.call; S::Take.call(h, [h], {h => h}, key: h)")
    args, kwargs = seen.first
    assert_same object, args[0]
    assert_same object, args[1][0]
    assert_same object, args[2].keys.first
    assert_same object, kwargs[:key]
  end

  def test_b17_methods_on_handles_dispatch_and_chain
    user = Struct.new(:name) { def friend = self.class.new("#{name}'s friend") }.new("ann")
    box = sandbox_with(-> { user }, "S::User")
    assert_equal "ann's friend", box.eval("S::User.call.friend.name")
  end

  def test_b18_handles_end_with_their_invocation
    box = sandbox_with(-> { Object.new }, "S::Make")
    box.eval("$h = S::Make.call; nil")
    assert_nil box.eval("$h")
  end

  def test_b19_a_dropped_sandbox_releases_bound_objects
    freed = Queue.new
    Thread.new { bind_and_drop(freed) }.join
    5.times do
      GC.start(full_mark: true, immediate_sweep: true)
      break unless freed.empty?
    end
    assert_equal 1, freed.size
  end

  # Binds a fresh object to a Sandbox that is dropped on return; +freed+
  # hears when the object is collected.
  def bind_and_drop(freed)
    object = Object.new
    ObjectSpace.define_finalizer(object, finalizer(freed))
    sandbox_with(object).eval("S::Obj.to_s")
    nil
  end

  # A finalizer that captures only +freed+, not the object.
  def finalizer(freed) = proc { freed << true }

  def test_b20_handles_cannot_be_made_from_integers
    assert_raises(NoMethodError) { Kobako::Handle.new(1) }
    assert_raises(NoMethodError) { Kobako::Handle.allocate }
    error = assert_raises(Kobako::SandboxError) { sandbox.eval("Kobako::Handle.new(1)") }
    assert_equal "NoMethodError", error.klass
  end

  def test_b21_e12_handle_ids_run_out
    box = sandbox_near_the_handle_cap(0x7fff_ffff)
    box.define(:S).bind(:Make, -> { Object.new })
    error = assert_raises(Kobako::HandlerExhaustedError) do
      box.eval("S::Make.call; begin; S::Make.call; rescue Exception; :rescued; end")
    end
    assert_kind_of Kobako::SandboxError, error
  end

  def test_b22_separate_sandboxes_on_separate_threads
    results = Array.new(4) do |i|
      Thread.new do
        box = sandbox_with(-> { i }, "S::Id")
        box.eval("puts S::Id.call; S::Id.call * 10")
        [box.eval("S::Id.call"), box.stdout]
      end
    end.map(&:value)
    assert_equal [[0, ""], [1, ""], [2, ""], [3, ""]], results
  end

  def test_b34_run_arguments_that_are_objects_become_handles
    io = StringIO.new("data")
    box = sandbox
    box.preload(code: "Reader = ->(x, opts) { [x.class.to_s, x.read, opts[:n]] }", name: :Reader)
    assert_equal ["Kobako::Handle", "data", 1], box.run(:Reader, io, n: 1)
  end

  def test_b34_nested_run_objects_keep_structure
    object = Object.new
    box = sandbox
    box.preload(code: "Id = ->(x) { x }", name: :Id)
    value = box.run(:Id, [1, { k: object }])
    assert_equal 1, value[0]
    assert_same object, value[1][:k]
  end

  def test_b36_respond_to_is_answered_in_the_guest
    kv = KobakoTestHelpers::KV.new
    box = sandbox_with(kv)
    assert_equal [true, true], box.eval("[S::Obj.respond_to?(:anything), S::Obj.respond_to?(:to_s)]")
    assert_empty kv.calls
  end

  def test_b37_returned_handles_are_restored_at_any_depth
    object = Object.new
    box = sandbox_with(-> { object }, "S::Make")
    value = box.eval("h = S::Make.call; [h, {h => [h]}]")
    assert_same object, value[0]
    assert_same object, value[1].keys.first
    assert_same object, value[1].values.first.first
  end
end
