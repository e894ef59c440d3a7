# frozen_string_literal: true

module Kobako
  # The root of every error the gem raises about an invocation or setup.
  class Error < StandardError; end

  # Fields shared by the errors that describe a guest failure: where it came
  # from, the guest class name, the guest backtrace and structured details.
  module GuestFailureFields
    attr_reader :origin, :klass, :backtrace_lines, :details
  end

  # The engine stopped the guest (a fault, an interrupt or an abort).
  class TrapError < Error; end
  # The invocation ran past its timeout.
  class TimeoutError < TrapError; end
  # The guest tried to grow its memory past memory_limit.
  class MemoryLimitError < TrapError; end

  # The script raised, did not compile, or produced a value that cannot cross.
  class SandboxError < Error
    include GuestFailureFields
  end
  # The invocation ran out of Capability Handle ids.
  class HandlerExhaustedError < SandboxError; end
  # Preloaded bytecode was rejected.
  class BytecodeError < SandboxError; end

  # A Service call failed and the script did not rescue it.
  class ServiceError < Error
    include GuestFailureFields
  end

  # The guest module is unusable.
  class SetupError < Error; end
  # Kobako::Pool#with found no free Sandbox within its checkout timeout.
  class PoolTimeoutError < Error; end
  # No guest module exists at the given path.
  class ModuleNotBuiltError < SetupError; end
end
