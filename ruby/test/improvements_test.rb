# frozen_string_literal: true

require "test_helper"
require "timeout"

# Section 9: improvements beyond Kobako 0.6.1.
class ImprovementsTest < Minitest::Test
  # Raised by a service to show non-StandardErrors pass through unchanged.
  class Halt < Exception; end # rubocop:disable Lint/InheritException

  def test_x01_i64_round_trip
    box = sandbox
    box.preload(code: "Id = ->(x) { x }", name: :Id)
    [2**63 - 1, 2**40, -(2**31)].each { |n| assert_equal n, box.run(:Id, n) }
    assert_equal [2**63 - 1, -(2**63)], box.eval("[2**63 - 1, -(2**63)]")
    assert_equal [2**62], sandbox_with(->(n) { [n * 2] }, "S::Dbl").eval("S::Dbl.call(2**61)")
  end

  def test_x01_negative_i64_below_i32_reaches_the_guest
    box = sandbox
    box.preload(code: "Id = ->(x) { x }", name: :Id)
    [-(2**31) - 1, -5_000_000_000, -(2**40), -(2**63)].each do |n|
      assert_equal n, box.run(:Id, n)
    end
  end

  def test_x01_guest_integers_outside_i64_raise_range_error
    box = sandbox
    error = assert_raises(Kobako::SandboxError) { box.eval("2**64") }
    assert_equal "RangeError", error.klass
    assert_includes error.message, "9223372036854775807"
  end

  def test_x02_outputs_and_usage_survive_a_failure
    box = sandbox_with(-> { raise "no" }, "S::Fail", timeout: 0.1)
    assert_raises(Kobako::ServiceError) { box.eval("puts 'svc'; S::Fail.call") }
    assert_equal "svc\n", box.stdout
    assert_raises(Kobako::TimeoutError) { box.eval("$stderr.print 'trap'; loop {}") }
    assert_equal "trap", box.stderr
    assert_operator box.usage.wall_time, :>, 0.0
  end

  def test_x04_respond_to_guest_narrows
    narrowed = Class.new do
      attr_reader :asked

      def read = :read
      def write = :write

      private

      def respond_to_guest?(name)
        (@asked ||= []) << name
        name == :read
      end
    end.new
    box = sandbox_with(narrowed)
    assert_equal :read, box.eval("S::Obj.read")
    error = assert_raises(Kobako::ServiceError) { box.eval("S::Obj.write") }
    assert_equal "undefined", category(error)
    assert_equal true, box.eval("S::Obj.respond_to?(:write)")
    assert_equal %i[read write], narrowed.asked
  end

  # The dispatcher remembers within an invocation what it learnt of a
  # target's methods, but asks respond_to_guest? at every call, and a
  # refused name stays refused however often it is called.
  def test_x04_repeated_calls_in_one_invocation_are_checked_each_time
    gate = Class.new do
      attr_accessor :open

      def read = :read

      private

      def respond_to_guest?(name) = name == :read && @open
    end.new
    gate.open = true
    box = sandbox_with(gate)
    box.define(:Flip).bind(:Close, -> { gate.open = false })
    value = box.eval(<<~RUBY)
      first = S::Obj.read
      Flip::Close.call
      second = begin; S::Obj.read; rescue Kobako::ServiceError => e; e.message; end
      refused = 2.times.map { begin; S::Obj.eval("1"); rescue Kobako::ServiceError => e; :refused; end }
      [first, second, refused]
    RUBY
    assert_equal :read, value[0]
    assert_includes value[1], "is not available to the guest"
    assert_equal %i[refused refused], value[2]
    gate.open = true
    assert_equal :read, box.eval("S::Obj.read"), "a later invocation asks again"
  end

  def test_x05_handles_are_sealed_in_the_guest
    box = sandbox_with(-> { Object.new }, "S::Make")
    value = box.eval(<<~RUBY)
      h = S::Make.call
      [h.frozen?,
       (begin; h.instance_variable_set(:@a, 1); rescue => e; e.class.to_s; end),
       h.dup.frozen?,
       (begin; Kobako::Handle.new(1); rescue NoMethodError => e; e.class.to_s; end),
       (begin; S::Make.new.anything; rescue NoMethodError => e; e.class.to_s; end)]
    RUBY
    assert_equal [true, "FrozenError", true, "NoMethodError", "NoMethodError"], value
  end

  def test_x06_hermetic_time_and_randomness
    box = sandbox
    assert_equal 0, box.eval("Time.now.to_i")
    assert_equal box.eval("rand(1_000_000)"), box.eval("rand(1_000_000)")
    assert_operator sandbox(profile: :permissive).eval("Time.now.to_i"), :>, 1_600_000_000
    assert_equal :permissive, sandbox(profile: :permissive).profile
  end

  def test_x07_other_threads_progress_while_the_guest_runs
    box = sandbox(timeout: 30)
    started = false
    box.define(:S).bind(:Started, -> { started = true; nil })
    guest = Thread.new { box.eval("S::Started.call; loop {}") }
    # Once the guest has called in and gone back to spinning, it runs until
    # it is killed or its 30 s run out.
    Timeout.timeout(10) { Thread.pass until started }
    count = 0
    100_000.times { count += 1 }
    still_running = guest.alive?
    guest.kill
    refute_nil guest.join(10), "the killed thread ended"
    assert_equal 100_000, count
    assert still_running, "the main thread counted while the guest was still running"
  end

  def test_x07_thread_raise_propagates_unchanged
    box = sandbox(timeout: 30)
    guest = Thread.new { box.eval("loop {}") }
    guest.report_on_exception = false
    sleep 0.05
    guest.raise(Halt, "from outside")
    error = assert_raises(Halt) { guest.value }
    assert_equal "from outside", error.message
    assert_equal 1, box.eval("1")
  end

  def test_x07_timeout_timeout_stops_a_running_guest
    box = sandbox(timeout: 30)
    assert_raises(Timeout::Error) { Timeout.timeout(0.1) { box.eval("loop {}") } }
    assert_equal 2, box.eval("2")
  end

  def test_x07_sigint_raises_interrupt
    # A shell starts background jobs with SIGINT ignored; Ruby's own handler
    # (Interrupt) is what an interactive process has.
    previous = trap("INT", "DEFAULT")
    box = sandbox(timeout: 30)
    signaller = Thread.new do
      sleep 0.1
      Process.kill(:INT, Process.pid)
    end
    assert_raises(Interrupt) { box.eval("loop {}") }
    signaller.join
    assert_equal 3, box.eval("3")
  ensure
    trap("INT", previous)
  end

  def test_x07_non_standard_errors_from_services_propagate
    box = sandbox_with(-> { raise Halt, "stop" }, "S::Halt")
    assert_raises(Halt) { box.eval("begin; S::Halt.call; rescue Exception; loop {}; end") }
    box = sandbox_with(-> { exit 3 }, "S::Exit")
    error = assert_raises(SystemExit) { box.eval("S::Exit.call") }
    assert_equal 3, error.status
    assert_equal 4, box.eval("4")
  end

  def test_x07_fork_child_works_with_timeouts
    box = sandbox_with(->(x) { x * 2 }, "S::Dbl", timeout: 0.2)
    assert_equal 2, box.eval("S::Dbl.call(1)")
    pid = fork do
      doubled = box.eval("S::Dbl.call(21)")
      timed_out = begin
        box.eval("loop {}")
        false
      rescue Kobako::TimeoutError
        true
      end
      exit!(doubled == 42 && timed_out ? 0 : 1)
    end
    _, status = Process.wait2(pid)
    assert_equal 0, status.exitstatus
  end

  def test_x07_gc_stress_keeps_a_bound_lambda
    box = sandbox
    box.define(:S).bind(:Fn, ->(x) { "#{x}!" * 2 })
    GC.start
    GC.stress = true
    begin
      value = box.eval("S::Fn.call('hi')")
    ensure
      GC.stress = false
    end
    assert_equal "hi!hi!", value
  end

  def test_x07_gc_stress_keeps_handle_targets_alive
    person = Struct.new(:name)
    box = sandbox
    box.define(:S).bind(:Make, ->(name) { person.new(name * 2) })
    box.preload(code: "Names = ->(who) { [who.name, S::Make.call('b').name] }", name: :Names)
    GC.stress = true
    begin
      value = box.run(:Names, person.new("a" * 3))
    ensure
      GC.stress = false
    end
    assert_equal %w[aaa bb], value
  end

  # Compaction during an invocation moves none of the objects the engine
  # refers to: Handle targets, objects bound for the invocation, and the
  # targets whose calls the extension makes itself.
  def test_x07_gc_compaction_moves_no_object_the_guest_holds
    thing = Struct.new(:n)
    box = sandbox
    box.define(:S).bind(:Make, ->(i) { thing.new(i) })
    box.define(:S).bind(:Compact, -> { GC.verify_compaction_references(toward: :empty, double_heap: true) && nil })
    box.bind("S::Local")
    value = box.eval(<<~RUBY) { |ctx| ctx.bind("S::Local", thing.new(7)) }
      hs = (0...50).map { |i| S::Make.call(i) }
      before = [S::Local.n, hs.first.n]
      S::Compact.call
      [before, S::Local.n, hs.map(&:n).sum]
    RUBY
    assert_equal [[7, 0], 7, 1225], value
  end

  def test_x08_one_sandbox_many_threads
    box = sandbox_with(->(i) { i * 10 }, "S::Times")
    results = Array.new(4) do |i|
      Thread.new do
        Array.new(5) do
          value = box.eval("puts #{i}; S::Times.call(#{i})")
          [value, box.stdout]
        end
      end
    end.map(&:value)
    results.each_with_index do |runs, i|
      runs.each { |value, stdout| assert_equal [i * 10, "#{i}\n"], [value, stdout] }
    end
  end

  def test_x08_readers_are_per_thread
    box = sandbox
    box.eval("puts 'main'")
    Thread.new { box.eval("puts 'other'") }.join
    assert_equal "main\n", box.stdout
  end
end
