# Service constants and Capability Handles as the script sees them, and
# the runtime's own entry points (Kobako.__bind, Kobako.__run_entry).

module Kobako
  # Every bound service constant (NS::Member) is a subclass of this class:
  # calls on the constant itself travel to the host. Instances (from `new`)
  # are plain guest objects and forward nothing.
  class ServiceProxy
    class << self
      def method_missing(name, *args, **kwargs, &block)
        Kobako.__forward(self, name)
        Kobako.__dispatch(@__kobako_path, name, args, kwargs, block)
      end

      def respond_to_missing?(_name, _include_private = false) = true
    end
  end

  # Stands for one host object during one invocation. Calls travel to the
  # host; the id is out of reach and a Handle cannot be built from Ruby. Every
  # Handle is frozen (src/handle.c), so changing one raises FrozenError.
  class Handle
    def method_missing(name, *args, **kwargs, &block)
      Kobako.__forward(self, name)
      Kobako.__dispatch(self, name, args, kwargs, block)
    end

    def respond_to_missing?(_name, _include_private = false) = true
    def inspect = "#<Kobako::Handle>"
    def to_s = inspect
    def dup = self
    def clone(freeze: true) = self
  end

  # Service constants and Handles answer only a few names themselves (B-36):
  # the public methods CRuby gives every object, module and class, plus the
  # hooks the interpreter calls on its own. Everything else they inherit from
  # Kernel, Object, Module or Class is private in CRuby, where a call with an
  # explicit receiver goes to method_missing; mruby answers some of them
  # locally (it made Kernel's methods public until 4.0, and a method a gem
  # adds may be public). Each such name, public or private, therefore gets a
  # method that hands the call to method_missing, which forwards it (B-12). Names starting with "_" are mruby's internal helpers
  # and stay local. Computed once, when the image is built. The list and its
  # reasons are in docs/decisions.md.
  local = %i[
    ! != == __id__ __send__ equal? instance_eval instance_exec
    !~ <=> === class clone define_singleton_method display dup enum_for eql?
    extend freeze frozen? hash inspect instance_of? instance_variable_defined?
    instance_variable_get instance_variable_set instance_variables is_a?
    itself kind_of? method methods nil? object_id private_methods
    protected_methods public_method public_methods public_send
    remove_instance_variable respond_to? send singleton_class singleton_method
    singleton_methods tap then to_enum to_s yield_self
    < <= > >= alias_method ancestors attr attr_accessor attr_reader attr_writer
    class_eval class_exec class_variable_defined? class_variable_get
    class_variable_set class_variables const_defined? const_get const_missing
    const_set constants define_method include include? included_modules
    instance_method instance_methods method_defined? module_eval module_exec
    name prepend private_class_method private_constant
    private_instance_methods private_method_defined?
    protected_instance_methods protected_method_defined? public_class_method
    public_constant public_instance_method public_instance_methods
    public_method_defined? remove_class_variable remove_method
    singleton_class? undef_method undefined_instance_methods
    allocate attached_object new subclasses superclass
    initialize initialize_copy initialize_clone initialize_dup inherited
    included extended prepended method_added method_removed method_undefined
    singleton_method_added singleton_method_removed singleton_method_undefined
    append_features extend_object prepend_features const_added
    method_missing respond_to_missing?
  ]
  forward = proc { |*args, **kwargs, &block| method_missing(__method__, *args, **kwargs, &block) }
  [ServiceProxy.singleton_class, Handle].each do |owner|
    (owner.instance_methods + owner.private_instance_methods - local).each do |name|
      owner.define_method(name, &forward) unless name.to_s.start_with?("_")
    end
  end
  local = forward = nil

  # A service argument as Kobako 0.6.1 sends it: each object with no wire
  # form (at any depth, Hash keys included) becomes its to_s; Handles and
  # wire values stay. Deeper than the wire allows is left for the encoder to
  # refuse.
  def self.__as_sent(value, depth = 0)
    case value
    when nil, true, false, Integer, Float, String, Symbol, Handle
      value
    when Array
      depth > 128 ? value : value.map { |item| __as_sent(item, depth + 1) }
    when Hash
      return value if depth > 128

      value.each_with_object({}) { |(k, v), sent| sent[__as_sent(k, depth + 1)] = __as_sent(v, depth + 1) }
    else
      text = value.to_s
      raise TypeError, "#{value.class}#to_s returned #{text.class}, not a String; it cannot cross as a service argument" unless text.is_a?(String)

      text
    end
  end

  # Calls the entrypoint `name` (a top-level constant the snippets defined)
  # for Sandbox#run; keyword arguments arrive as one trailing Hash.
  def self.__run_entry(name, args, kwargs)
    builtin = Kobako.instance_variable_get(:@__kobako_builtin)
    unless Object.const_defined?(name) && !builtin.key?(name.to_sym)
      namespaces = Kobako.instance_variable_get(:@__kobako_namespaces) || {}
      defined = Object.constants.reject { |c| builtin.key?(c) || namespaces.key?(c) }.sort
      callable = defined.select { |c| Object.const_get(c).respond_to?(:call) }
      listed = callable.empty? ? "no entrypoints are defined" : "available entrypoints: #{callable.join(', ')}"
      error = SandboxError.new("undefined entrypoint: #{name}; #{listed}")
      # As in Kobako 0.6.1, the details list every constant the snippets
      # defined, callable or not.
      error.instance_variable_set(:@__kobako_details, { "available" => defined })
      error.set_backtrace([])
      raise error
    end
    target = Object.const_get(name.to_sym)
    unless target.respond_to?(:call)
      error = SandboxError.new("entrypoint #{name} does not respond to call")
      error.set_backtrace([])
      raise error
    end
    return target.call(*args) if kwargs.empty?

    # An entrypoint that declares keywords gets them as keywords; any other
    # gets them as one trailing Hash, as Kobako 0.6.1 passes them.
    __takes_keywords?(target) ? target.call(*args, **kwargs) : target.call(*args, kwargs)
  end

  def self.__takes_keywords?(target)
    parameters = target.is_a?(Proc) ? target.parameters : target.method(:call).parameters
    parameters.any? { |kind, *| kind == :key || kind == :keyreq || kind == :keyrest }
  rescue StandardError
    false
  end

  # Defines the service constants of this invocation (called by the runtime
  # before the script runs).
  def self.__bind(paths)
    namespaces = (@__kobako_namespaces ||= {})
    paths.each do |path|
      namespace_name, member = path.split("::")
      namespaces[namespace_name.to_sym] = true
      namespace =
        if Object.const_defined?(namespace_name)
          Object.const_get(namespace_name)
        else
          Object.const_set(namespace_name, Module.new)
        end
      unless namespace.is_a?(Module)
        raise TypeError, "cannot bind #{path}: #{namespace_name} is #{namespace.class}, not a module or class"
      end
      proxy = Class.new(ServiceProxy)
      proxy.instance_variable_set(:@__kobako_path, path)
      namespace.const_set(member, proxy)
    end
    nil
  end
end
