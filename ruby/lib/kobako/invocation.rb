# frozen_string_literal: true

module Kobako
  # The objects one invocation binds, given to the block of Sandbox#eval and
  # Sandbox#run: `sandbox.eval(src) { |ctx| ctx.bind("Req::Current", request) }`.
  # It fills a path the Sandbox declared, or shadows one it bound, for that
  # invocation only, and cannot be used once the block has returned.
  class Invocation
    # The form of a service path, "Namespace::Member".
    PATH = /\A[A-Z][A-Za-z0-9_]*::[A-Z][A-Za-z0-9_]*\z/.freeze

    def initialize
      @pairs = {}
      @open = true
    end

    # Binds +object+ at +path+ for this invocation; returns self.
    def bind(path, object)
      unless @open
        raise ArgumentError, "this Kobako::Invocation has ended: bind per-invocation objects inside the block given to eval or run"
      end
      unless (path.is_a?(String) || path.is_a?(Symbol)) && PATH.match?(path.to_s)
        raise ArgumentError, "path must look like \"Namespace::Member\" (got #{path.inspect})"
      end

      @pairs[path.to_s] = object
      self
    end

    # Ends the block's use of this object and returns the [path, object]
    # pairs for the native call.
    def __close
      @open = false
      @pairs.to_a
    end
  end
end
