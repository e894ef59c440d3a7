# frozen_string_literal: true

module Kobako
  # A fixed number of Sandboxes built alike, for a host that serves many
  # threads: #with lends one to a block for its exclusive use. Sandboxes are
  # built on first need, each with the same options and the setup block.
  #
  #   pool = Kobako::Pool.new(slots: 4, timeout: 2) { |sb| sb.define(:KV).bind(:Store, store) }
  #   pool.with { |sb| sb.eval(script) }
  class Pool
    # How many Sandboxes the pool may hold, and how long (seconds) #with
    # waits for one when all are lent.
    attr_reader :slots, :checkout_timeout

    # +slots+ Sandboxes at most, built lazily with +sandbox_options+ (those
    # of Sandbox.new) and then passed to +setup+ (bind services, preload
    # snippets) before their first use.
    def initialize(slots: 4, checkout_timeout: 5.0, **sandbox_options, &setup)
      unless slots.is_a?(Integer) && slots.positive?
        raise ArgumentError, "slots must be a positive Integer (got #{slots.inspect})"
      end
      unless checkout_timeout.is_a?(Numeric) && checkout_timeout.to_f.finite? && checkout_timeout.positive?
        raise ArgumentError, "checkout_timeout must be a finite number of seconds greater than 0 (got #{checkout_timeout.inspect})"
      end

      @slots = slots
      @checkout_timeout = checkout_timeout.to_f
      @sandbox_options = sandbox_options
      @setup = setup
      @idle = []
      @built = 0
      @lock = Mutex.new
      @returned = ConditionVariable.new
      # Checks the options now rather than at the first checkout.
      Sandbox.new(**sandbox_options)
    end

    # Lends a Sandbox to the block and returns the block's value. Raises
    # PoolTimeoutError when none frees up within +checkout_timeout+. A
    # Sandbox whose block raised a TrapError is discarded; a new one is
    # built when next needed.
    def with
      raise ArgumentError, "Pool#with needs a block" unless block_given?

      sandbox = checkout
      trapped = false
      begin
        yield sandbox
      rescue TrapError
        trapped = true
        raise
      ensure
        checkin(sandbox, trapped)
      end
    end

    # How many Sandboxes exist now (lent or idle).
    def size
      @lock.synchronize { @built }
    end

    private

    def checkout
      deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + @checkout_timeout
      @lock.synchronize do
        loop do
          return @idle.pop unless @idle.empty?

          if @built < @slots
            @built += 1
            break
          end
          remaining = deadline - Process.clock_gettime(Process::CLOCK_MONOTONIC)
          if remaining <= 0
            raise PoolTimeoutError, "no Sandbox was free within #{@checkout_timeout} s (all #{@slots} slots lent); " \
                                    "raise slots: or checkout_timeout:"
          end
          @returned.wait(@lock, remaining)
        end
      end
      build
    end

    # Builds the Sandbox of a slot just claimed; a failure gives the slot back.
    def build
      sandbox = Sandbox.new(**@sandbox_options)
      @setup&.call(sandbox)
      sandbox
    rescue Exception # rubocop:disable Lint/RescueException
      checkin(nil, true)
      raise
    end

    def checkin(sandbox, discard)
      @lock.synchronize do
        if discard
          @built -= 1
        else
          @idle.push(sandbox)
        end
        @returned.signal
      end
    end
  end
end
