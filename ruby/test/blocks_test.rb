# frozen_string_literal: true

require "test_helper"

# Section 4: blocks and yield.
class BlocksTest < Minitest::Test
  # Records what happens around a yield.
  class Yielder
    attr_reader :log, :stored

    def initialize
      @log = []
    end

    def given? = block_given?

    def once(value)
      @log << :before
      result = yield value
      @log << [:after, result]
      :service_value
    ensure
      @log << :ensure
    end

    def twice
      [yield(1), yield(2)]
    rescue StandardError => e
      @log << [:rescued, e.class]
      raise
    end

    def pair = yield(1, 2, 3)

    def each(*items, &block)
      items.each(&block)
      :finished
    end

    def ignore = :ignored

    def keep(&block)
      @stored = block
      :kept
    end

    def call_stored = @stored.call(1)

    def call_block(&block) = block.call(5)

    def yield_value(value) = yield(value)
  end

  def setup
    @yielder = Yielder.new
    @box = sandbox_with(@yielder, "S::Y")
  end

  def test_b23_the_method_receives_a_block
    assert_equal [true, false], @box.eval("[S::Y.given? { }, S::Y.given?]")
    assert_equal 10, @box.eval("S::Y.call_block { |x| x * 2 }")
    assert_equal 6, @box.eval("blk = proc { |x| x + 1 }; S::Y.call_block(&blk)")
  end

  def test_b23_arguments_bind_loosely_and_lambdas_strictly
    assert_equal [1, 2], @box.eval("S::Y.pair { |a, b| [a, b] }")
    error = assert_raises(Kobako::ServiceError) { @box.eval("S::Y.pair(&->(a) { a })") }
    assert_match(/ArgumentError/, error.message)
  end

  def test_b24_yield_runs_the_block_and_returns_its_value
    assert_equal :service_value, @box.eval("S::Y.once(20) { |x| x + 1 }")
    assert_equal [:before, [:after, 21], :ensure], @yielder.log
  end

  def test_b24_a_raising_block_is_a_runtime_error_in_the_service
    error = assert_raises(Kobako::ServiceError) { @box.eval("S::Y.twice { |x| raise ArgumentError, 'bad' }") }
    assert_includes error.message, "ArgumentError: bad"
    assert_equal [[:rescued, RuntimeError]], @yielder.log
  end

  def test_b25_break_ends_the_service_at_the_yield
    assert_equal 99, @box.eval("S::Y.once(1) { break 99 }")
    assert_equal %i[before ensure], @yielder.log
    assert_equal [:done], @box.eval("r = S::Y.once(1) { break :x }; [:done]")
  end

  def test_b25_break_values_keep_handles
    object = Object.new
    box = sandbox
    box.define(:S).bind(:Y, Yielder.new).bind(:Make, -> { object })
    assert_equal "Kobako::Handle", box.eval("h = S::Make.call; S::Y.once(1) { break h }.class.to_s")
  end

  def test_b26_next_and_the_last_value
    assert_equal [10, 2], @box.eval("S::Y.twice { |x| next 10 if x == 1; x }")
  end

  def test_b27_break_or_return_in_a_lambda_acts_like_next
    assert_equal [5, 5], @box.eval("S::Y.twice(&->(x) { return 5 })")
    assert_equal [6, 6], @box.eval("S::Y.twice(&lambda { |x| break 6 })")
  end

  def test_b28_nested_dispatches_have_their_own_blocks
    value = @box.eval(<<~RUBY)
      out = []
      S::Y.each(1, 2) do |a|
        inner = S::Y.each(10, 20) { |b| break :inner_broke if b == 20; out << [a, b] }
        out << inner
      end
      out
    RUBY
    assert_equal [[1, 10], :inner_broke, [2, 10], :inner_broke], value
  end

  def test_b29_yielding_many_times
    assert_equal [[1, 2, 3], :finished], @box.eval("r = []; v = S::Y.each(1, 2, 3) { |x| r << x; :ignored }; [r, v]")
  end

  def test_b30_a_block_never_yielded_to
    assert_equal [:ignored, nil], @box.eval("ran = nil; v = S::Y.ignore { ran = true }; [v, ran]")
  end

  def test_e28_return_from_a_plain_block_is_a_local_jump_error
    error = assert_raises(Kobako::ServiceError) { @box.eval("def m = S::Y.once(1) { return 5 }\nm") }
    assert_includes error.message, "LocalJumpError"
  end

  def test_e29_a_block_value_that_cannot_cross
    error = assert_raises(Kobako::ServiceError) { @box.eval("S::Y.once(1) { Object.new }") }
    assert_includes error.message, "Object"
    assert_equal "runtime", category(error)
  end

  def test_e30_a_block_used_after_its_dispatch
    assert_equal :kept, @box.eval("S::Y.keep { |x| x }")
    assert_raises(LocalJumpError) { @yielder.stored.call(1) }
    box = sandbox_with(@yielder, "S::Y")
    error = assert_raises(Kobako::ServiceError) { box.eval("S::Y.call_stored") }
    assert_includes error.message, "LocalJumpError"
  end

  def test_e31_yield_arguments_that_cannot_cross
    yielder = Class.new do
      def object = yield(Object.new)
      def big = yield(2**64)
      def deep = yield((1..200).reduce([]) { |acc, _| [acc] })
    end.new
    box = sandbox_with(yielder, "S::Bad")
    {
      "object" => ["TypeError", "runtime"],
      "big" => ["RangeError", "runtime"],
      "deep" => ["ArgumentError", "argument"]
    }.each do |method, (klass, category)|
      error = assert_raises(Kobako::ServiceError, method) { box.eval("ran = false; S::Bad.#{method} { ran = true }") }
      assert_includes error.message, klass, method
      assert_equal category, category(error), method
    end
  end
end
