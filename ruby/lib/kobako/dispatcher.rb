# frozen_string_literal: true

module Kobako
  # Calls a bound object (or a Handle's object) on the guest's behalf. The
  # native extension calls Dispatcher.call for a guest call; it answers
  # [:ok, value], [:break], or [category, message] for a failed call. A
  # call that #direct? allows, the extension makes itself (see #direct?).
  module Dispatcher
    # Names the guest may never call, whatever object defines them (a Hash,
    # for a constant-time lookup).
    REFUSED = %i[
      send __send__ public_send eval instance_eval instance_exec class_eval class_exec
      module_eval module_exec binding method public_method singleton_method instance_method
      public_instance_method define_method define_singleton_method remove_method undef_method
      alias_method const_get const_set class_variable_get class_variable_set
      instance_variable_get instance_variable_set instance_variables remove_instance_variable
      singleton_class extend method_missing respond_to_missing? respond_to_guest?
    ].to_h { |name| [name, true] }.freeze

    # Owners whose public methods the guest may never call.
    CORE_OWNERS = [BasicObject, Kernel, Object, Module, Class].freeze

    # Owners whose methods the guest may call only when they are call-like.
    CALLABLE_OWNERS = [Proc, Method, UnboundMethod, Binding].freeze

    # The call-like methods of CALLABLE_OWNERS.
    CALL_LIKE = %i[call [] yield arity lambda?].freeze

    # Kernel and BasicObject methods, bound explicitly so a target cannot
    # override what the dispatcher uses to inspect and call it.
    ANY_METHOD = Kernel.instance_method(:method)
    PUBLIC_SEND = Kernel.instance_method(:public_send)
    RESPOND_TO = Kernel.instance_method(:respond_to?)
    CLASS_OF = Kernel.instance_method(:class)
    SEND = BasicObject.instance_method(:__send__)
    MODULE_NAME = Module.instance_method(:name)

    # The fiber-local key of the current invocation's verdict cache (see
    # Dispatcher.verdicts).
    VERDICTS = :__kobako_verdicts

    module_function

    # Runs the block as one invocation: what the dispatcher learns of each
    # target's methods there is kept until it ends, so repeated calls skip
    # the reflection. A nested invocation gets its own.
    def verdicts
      outer = Thread.current[VERDICTS]
      Thread.current[VERDICTS] = {}.compare_by_identity
      yield
    ensure
      Thread.current[VERDICTS] = outer
    end

    # Dispatches one guest call; +channel+ is the guest's block, or nil.
    def call(target, name, args, kwargs, channel)
      refusal = refusal(target, name)
      return [:undefined, refusal] if refusal

      invoke(target, name, args, kwargs, channel)
    rescue StandardError => e
      failure(target, e)
    end

    # The reply for a call of +target+ that raised +error+.
    def failure(target, error)
      case error
      when ArgumentError then [:argument, "#{error.class}: #{error.message}"]
      # Ruby's own message shows the receiver's inspect; never send that.
      when NoMethodError then [:runtime, "NoMethodError: undefined method '#{error.name}' for #{describe(target)}"]
      else [:runtime, "#{error.class}: #{error.message}"]
      end
    end

    # True when the extension may make the guest's calls of +name+ on
    # +target+ itself for the rest of this invocation: the name is not
    # refused and the target does not define respond_to_guest?. It then
    # calls only a method that is public at that call, positional
    # arguments only and no block, and replies with #failure for a
    # StandardError, as #call does.
    def direct?(target, name)
      narrows, by_name = known(target)
      !narrows && !static_verdict(by_name, target, name)
    rescue StandardError
      # A BasicObject target, or a target whose reflection raises: #call
      # handles it at every call.
      false
    end

    # Calls the method; a `break` in the guest block ends it at the yield.
    def invoke(target, name, args, kwargs, channel)
      return [:ok, PUBLIC_SEND.bind_call(target, name, *args, **kwargs)] unless channel

      tag = Object.new
      finished = false
      value = catch(tag) do
        block = proc { |*yielded| pass_to_guest(channel, tag, yielded) }
        result = PUBLIC_SEND.bind_call(target, name, *args, **kwargs, &block)
        finished = true
        result
      end
      finished ? [:ok, value] : [:break]
    end

    # Runs the guest block once; throws +tag+ when it ran `break`.
    def pass_to_guest(channel, tag, yielded)
      status, value = channel.call(yielded)
      throw tag if status == :break
      value
    end

    # Why +name+ may not be called on +target+, or nil when it may. What
    # does not change during an invocation (the name, the owner of the
    # method it reaches, whether the target defines respond_to_guest?) is
    # looked up once per target and name there; respond_to_guest? itself is
    # asked at every call.
    def refusal(target, name)
      narrows, by_name = known(target)
      static = static_verdict(by_name, target, name)
      return static if static
      return refused(target, name) if narrows && !SEND.bind_call(target, :respond_to_guest?, name)

      nil
    rescue TypeError
      # A BasicObject target cannot be inspected safely.
      refused(target, name)
    end

    # What this invocation knows of +target+: whether it defines
    # respond_to_guest?, and the static refusal of each name asked so far.
    def known(target)
      verdicts = Thread.current[VERDICTS] || {}.compare_by_identity
      verdicts[target] ||= [narrows?(target), {}]
    end

    # The static refusal of +name+ (false for none), kept in +by_name+.
    def static_verdict(by_name, target, name)
      by_name.fetch(name) { by_name[name] = static_refusal(target, name) || false }
    end

    # The part of #refusal that depends on the name and on the method it
    # reaches.
    def static_refusal(target, name)
      return refused(target, name) if REFUSED[name]

      method = method_of(target, name)
      if method
        owner = method.owner
        return refused(target, name) if CORE_OWNERS.include?(owner)
        return refused(target, name) if CALLABLE_OWNERS.include?(owner) && !CALL_LIKE.include?(name)
      end
      nil
    end

    # The method +name+ of +target+ whatever its visibility (so a private
    # Kernel#system is refused too), or nil when it has none; public_send
    # then reaches method_missing.
    def method_of(target, name)
      ANY_METHOD.bind_call(target, name)
    rescue NameError
      nil
    end

    # True when the target defines respond_to_guest? (public or private).
    def narrows?(target)
      RESPOND_TO.bind_call(target, :respond_to_guest?, true)
    end

    def refused(target, name)
      "method #{name} is not available to the guest on #{describe(target)}"
    end

    # The target's module name or class name; never its inspect output.
    def describe(target)
      return MODULE_NAME.bind_call(target) || "an anonymous module" if Module === target # rubocop:disable Style/CaseEquality

      name = CLASS_OF.bind_call(target).to_s
      "#{name.match?(/\A[AEIOU]/i) ? 'an' : 'a'} #{name}"
    rescue TypeError
      "an object"
    end
  end
end
