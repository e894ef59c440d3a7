# frozen_string_literal: true

module Kobako
  # A top-level guest module whose members are bound host objects; made by
  # Sandbox#define.
  class Namespace
    # The namespace's constant name.
    attr_reader :name

    # Used by Sandbox#define only.
    def initialize(sandbox, name)
      @sandbox = sandbox
      @name = name
    end

    # Binds +object+ as the guest constant NAME::member and returns self.
    # Any object can be bound; the guest calls its public methods.
    def bind(member, object)
      @sandbox.__send__(:bind_member, @name, member, object)
      self
    end
  end
end
