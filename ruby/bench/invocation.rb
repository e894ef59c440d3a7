# frozen_string_literal: true

# Measures the gem's per-invocation costs from Ruby, comparable with the
# Rust figures in docs/benchmarks.md: eval("nil"), run of a preloaded entry,
# one service call (1,000 in one eval minus the same loop without them) and
# throughput of 4 threads sharing one Sandbox against 1 thread.
#   ruby -Ilib bench/invocation.rb
require "etc"
require "kobako"

# Median seconds per iteration over +samples+ timed batches.
def median_per_iteration(iterations, samples: 15)
  times = Array.new(samples) do
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    iterations.times { yield }
    (Process.clock_gettime(Process::CLOCK_MONOTONIC) - started) / iterations
  end
  times.sort[samples / 2]
end

def micros(seconds) = format("%.2f µs", seconds * 1e6)

sandbox = Kobako::Sandbox.new
sandbox.preload(code: "Adder = ->(a, b) { a + b }", name: :Adder)
sandbox.define(:Calc).bind(:Id, ->(x) { x })
500.times { sandbox.eval("nil") }

eval_nil = median_per_iteration(2_000) { sandbox.eval("nil") }
run = median_per_iteration(2_000) { sandbox.run(:Adder, 2, 3) }
with_calls = median_per_iteration(20) { sandbox.eval("i = 0; while i < 1000; Calc::Id.call(i); i += 1; end") }
without_calls = median_per_iteration(20) { sandbox.eval("i = 0; while i < 1000; i; i += 1; end") }
service_call = (with_calls - without_calls) / 1000

work = "(1..2_000).sum"
per_thread = 200
one_thread = median_per_iteration(per_thread, samples: 5) { sandbox.eval(work) }
four_threads = Array.new(5) do
  started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  Array.new(4) { Thread.new { per_thread.times { sandbox.eval(work) } } }.each(&:join)
  (Process.clock_gettime(Process::CLOCK_MONOTONIC) - started) / (4 * per_thread)
end.sort[2]

puts "Ruby #{RUBY_VERSION}, #{Etc.respond_to?(:nprocessors) ? Etc.nprocessors : '?'} CPUs"
puts "eval(\"nil\")                  #{micros(eval_nil)}"
puts "run(:Adder, 2, 3)              #{micros(run)}"
puts "one service call               #{micros(service_call)}"
puts "4 threads, #{work}   #{micros(four_threads)} per invocation " \
     "(1 thread: #{micros(one_thread)}; #{format('%.2f', one_thread / four_threads)}x)"
