# frozen_string_literal: true

module Kobako
  # A capability packaged for scripts: Ruby source the guest runs (its pure
  # methods never leave the sandbox) and, optionally, a host backend the
  # source calls at a service path. Install it with Sandbox#install.
  #
  #   ext = Kobako::Extension.new(name: :Greeter, source: "module Greet; def self.hi(n) = \"hi #{n}\"; end",
  #                               backend: Kobako::Extension::Backend.new(path: "Greet::Host", object: host))
  class Extension
    # The host side of an Extension, bound at +path+ ("Namespace::Member"):
    # either one +object+ every invocation shares, or a +provider+ called
    # once per invocation for a fresh object, so state one run writes never
    # reaches the next.
    class Backend
      attr_reader :path, :object, :provider

      def initialize(path:, object: nil, provider: nil)
        unless (path.is_a?(String) || path.is_a?(Symbol)) && Invocation::PATH.match?(path.to_s)
          raise ArgumentError, "backend path must look like \"Namespace::Member\" (got #{path.inspect})"
        end
        if object.nil? == provider.nil?
          raise ArgumentError, "a backend takes exactly one of object: or provider:"
        end
        if provider && !provider.respond_to?(:call)
          raise ArgumentError, "provider: must respond to call (got #{provider.class})"
        end

        @path = path.to_s
        @object = object
        @provider = provider
        freeze
      end
    end

    attr_reader :name, :source, :backend

    # +name+ names the snippet that holds +source+ (a constant name, as for
    # Sandbox#preload); +backend+ is a Backend or nil.
    def initialize(name:, source:, backend: nil)
      raise ArgumentError, "source must be a String (got #{source.class})" unless source.is_a?(String)
      unless backend.nil? || backend.is_a?(Backend)
        raise ArgumentError, "backend must be a Kobako::Extension::Backend or nil (got #{backend.class})"
      end

      @name = name
      @source = source
      @backend = backend
      freeze
    end
  end
end
