# The Ruby half of the guest runtime, loaded once when the image is built.
# Everything a script can print goes through Kobako.__write (src/output.c),
# which writes to WASI fd 1 or 2; the host captures both.

module Kobako
  # The object behind $stdout/STDOUT and $stderr/STDERR. It mimics the
  # writing half of IO; there is nothing to read and no file to open.
  class Output
    def initialize(fd, name)
      @fd = fd
      @name = name
    end

    def write(*objects)
      objects.inject(0) { |total, object| total + Kobako.__write(@fd, object.to_s) }
    end

    def print(*objects)
      objects.each { |object| write(object) }
      nil
    end

    def <<(object)
      write(object)
      self
    end

    def puts(*objects)
      return write("\n") && nil if objects.empty?
      objects.each { |object| puts_one(object, 0) }
      nil
    end

    def printf(format, *args)
      write(format(format, *args))
      nil
    end

    def putc(char)
      write(char.is_a?(Integer) ? (char & 0xff).chr : char.to_s[0])
      char
    end

    def flush = self
    def sync = true
    def sync=(value)
      value
    end
    def fsync = 0
    def fileno = @fd
    def tty? = false
    alias isatty tty?
    def inspect = "#<IO:<#{@name}>>"

    private

    def puts_one(object, depth)
      if object.is_a?(Array)
        return write("[...]\n") if depth > 64
        object.each { |item| puts_one(item, depth + 1) }
        write("\n") if object.empty? && depth.zero?
      else
        text = object.nil? ? "" : object.to_s
        text = text.to_s unless text.is_a?(String)
        write(text)
        write("\n") unless text.end_with?("\n")
      end
    end
  end
end

STDOUT = Kobako::Output.new(1, "STDOUT")
STDERR = Kobako::Output.new(2, "STDERR")
$stdout = STDOUT
$stderr = STDERR

module Kernel
  private

  def puts(*objects) = $stdout.puts(*objects)
  def print(*objects) = $stdout.print(*objects)
  def putc(char) = $stdout.putc(char)

  def printf(*args)
    $stdout.printf(*args) unless args.empty?
    nil
  end

  def p(*objects)
    objects.each { |object| $stdout.write(object.inspect, "\n") }
    objects.size <= 1 ? objects.first : objects
  end

  def pp(*objects) = p(*objects)

  def warn(*messages, uplevel: nil, category: nil)
    $stderr.puts(*messages) unless messages.empty?
    nil
  end
end

# Random.new without a seed draws one from the host (fixed bytes under the
# hermetic profile, OS entropy under the permissive one); the default
# generator is reseeded the same way at the start of every invocation.
class Random
  alias __kobako_initialize initialize

  def initialize(seed = Random.new_seed)
    __kobako_initialize(seed)
  end

  def self.new_seed = Kobako.__entropy
end

module Kobako
  # Every bound service constant (NS::Member) is a subclass of this class:
  # calls on the constant itself travel to the host. Instances (from `new`)
  # are plain guest objects and forward nothing.
  class ServiceProxy
    class << self
      def method_missing(name, *args, **kwargs, &block)
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
  # explicit receiver goes to method_missing; mruby 3.2 has no visibility, so
  # Kernel#format would answer Host::Echo.format locally. Each such name
  # therefore gets a method that hands the call to method_missing, which
  # forwards it (B-12). Names starting with "_" are mruby's internal helpers
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
    (owner.instance_methods - local).each do |name|
      owner.define_method(name, &forward) unless name.to_s.start_with?("_")
    end
  end
  local = forward = nil

  # Calls the entrypoint `name` (a top-level constant the snippets defined)
  # for Sandbox#run; keyword arguments arrive as one trailing Hash.
  def self.__run_entry(name, args, kwargs)
    builtin = Kobako.instance_variable_get(:@__kobako_builtin)
    unless Object.const_defined?(name) && !builtin.key?(name.to_sym)
      defined = Object.constants.reject { |c| builtin.key?(c) }
      available = defined.select { |c| Object.const_get(c).respond_to?(:call) }.sort
      listed = available.empty? ? "no entrypoints are defined" : "available entrypoints: #{available.join(', ')}"
      error = SandboxError.new("undefined entrypoint #{name}; #{listed}")
      error.instance_variable_set(:@__kobako_details, { "available" => available })
      error.set_backtrace([])
      raise error
    end
    target = Object.const_get(name.to_sym)
    unless target.respond_to?(:call)
      error = SandboxError.new("entrypoint #{name} does not respond to call")
      error.set_backtrace([])
      raise error
    end
    kwargs.empty? ? target.call(*args) : target.call(*args, kwargs)
  end

  # Defines the service constants of this invocation (called by the runtime
  # before the script runs).
  def self.__bind(paths)
    paths.each do |path|
      namespace_name, member = path.split("::")
      namespace =
        if Object.const_defined?(namespace_name)
          Object.const_get(namespace_name)
        else
          Object.const_set(namespace_name, Module.new)
        end
      proxy = Class.new(ServiceProxy)
      proxy.instance_variable_set(:@__kobako_path, path)
      namespace.const_set(member, proxy)
    end
    nil
  end
end

# JSON, as CRuby's json library offers it: parse and generate in C
# (src/json_parse.c, src/json_generate.c), options and #to_json here.
module JSON
  # CRuby's defaults: nesting beyond 100 raises NestingError; false, nil or
  # 0 turns the limit off (a hard cap of 10,000 levels remains).
  def self.__nesting(opts, default)
    limit = opts.key?(:max_nesting) ? opts[:max_nesting] : default
    limit ? Integer(limit) : 0
  end

  def self.__options(opts)
    return {} if opts.nil?
    return opts.to_h if opts.respond_to?(:to_h)
    raise TypeError, "can't convert #{opts.class} into Hash"
  end

  def self.parse(source, opts = nil)
    source = source.to_str if !source.is_a?(String) && source.respond_to?(:to_str)
    unless source.is_a?(String)
      raise TypeError, "no implicit conversion of #{source.nil? ? 'nil' : source.class} into String"
    end
    opts = __options(opts)
    __parse(source, !!opts[:symbolize_names], !!opts[:allow_nan], __nesting(opts, 100))
  end

  def self.parse!(source, opts = nil)
    opts = { max_nesting: false, allow_nan: true }.merge(__options(opts))
    parse(source, opts)
  end

  def self.load(source, proc = nil, opts = nil)
    return nil if source.nil?
    source = source.to_str if source.respond_to?(:to_str)
    parse(source, { max_nesting: false, allow_nan: true }.merge(__options(opts)))
  end

  def self.generate(obj, opts = nil)
    opts = __options(opts)
    __generate(obj, false, !!opts[:allow_nan], __nesting(opts, 100))
  end

  def self.pretty_generate(obj, opts = nil)
    opts = __options(opts)
    __generate(obj, true, !!opts[:allow_nan], __nesting(opts, 100))
  end

  def self.dump(obj, io = nil, limit = nil)
    text = __generate(obj, false, true, limit || 0)
    return text if io.nil?
    io.write(text)
    io
  end

  class << self
    alias unparse generate
    alias fast_generate generate
    alias pretty_unparse pretty_generate
    alias restore load
  end
end

class Object
  # CRuby's generic #to_json: the object's #to_s as a JSON string.
  def to_json(*) = JSON.generate(to_s)
end

[Hash, Array, String, Symbol, Integer, Float, NilClass, TrueClass, FalseClass].each do |klass|
  klass.define_method(:to_json) { |opts = nil, *| JSON.generate(self, opts.is_a?(Hash) ? opts : nil) }
end

# The constants of the image itself (a Hash, for a fast lookup): `run` only
# calls constants the snippets defined.
Kobako.instance_variable_set(:@__kobako_builtin, Object.constants.each_with_object({}) { |c, set| set[c] = true }.freeze)
