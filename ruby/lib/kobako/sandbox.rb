# frozen_string_literal: true

module Kobako
  # Runs untrusted Ruby in a fresh WebAssembly instance per invocation.
  #
  # Bind Services with #define and Namespace#bind, preload entrypoints with
  # #preload, then call #eval or #run from any number of threads. The
  # readers #stdout, #stderr, #stdout_truncated?, #stderr_truncated? and
  # #usage report the calling thread's most recent invocation.
  class Sandbox
    # The form of namespace, member, snippet and entrypoint names.
    CONSTANT_NAME = /\A[A-Z][A-Za-z0-9_]*\z/.freeze
    # The largest source, snippet or message that may cross (16 MiB).
    MESSAGE_MAX = 16 << 20
    # Marks a keyword argument that was not given.
    ABSENT = Object.new.freeze
    private_constant :ABSENT

    # The readers' record of one invocation.
    Record = Struct.new(:stdout, :stderr, :stdout_truncated, :stderr_truncated, :usage)
    # The record before any invocation.
    EMPTY_RECORD = Record.new("", "", false, false, Usage::EMPTY).freeze
    private_constant :Record, :EMPTY_RECORD

    class << self
      # Builds a Sandbox. +timeout+ is in seconds and the limits in bytes;
      # nil disables any of them. +profile+ is :hermetic (clocks read the
      # epoch) or :permissive; +wasm_path+ replaces the bundled guest. +gvl+
      # is accepted for Kobako compatibility: :release and :hold both run
      # the guest with the GVL released (see the README).
      def new(timeout: 60.0, memory_limit: 1 << 20, stdout_limit: 1 << 20, stderr_limit: 1 << 20,
              wasm_path: nil, profile: :hermetic, gvl: :release)
        build({ timeout: timeout, memory_limit: memory_limit, stdout_limit: stdout_limit,
                stderr_limit: stderr_limit, wasm_path: wasm_path, profile: profile, gvl: gvl }, 1)
      end

      private

      # Test hook: a Sandbox whose Handle ids start at +first_handle_id+.
      def build(options, first_handle_id)
        timeout = check_timeout(options[:timeout])
        limits = %i[memory_limit stdout_limit stderr_limit].map { |key| check_limit(key, options[key]) }
        profile = check_profile(options[:profile])
        check_gvl(options.fetch(:gvl, :release))
        wasm_path = check_wasm_path(options[:wasm_path])
        sandbox = __new(timeout, *limits, profile == :permissive, wasm_path, first_handle_id)
        sandbox.__send__(:setup, options.merge(timeout: timeout, profile: profile))
        sandbox
      end

      def check_timeout(value)
        return nil if value.nil?
        unless value.is_a?(Numeric) && !value.is_a?(Complex) && value.to_f.finite? && value.positive?
          raise ArgumentError, "timeout must be a finite number of seconds greater than 0 or nil (got #{value.inspect})"
        end

        value.to_f
      end

      def check_limit(name, value)
        return nil if value.nil?
        return value if value.is_a?(Integer) && value.positive? && value < (1 << 63)

        raise ArgumentError, "#{name} must be a positive Integer number of bytes or nil (got #{value.inspect})"
      end

      def check_profile(value)
        return value if %i[hermetic permissive].include?(value)

        raise ArgumentError, "profile must be :hermetic or :permissive (got #{value.inspect})"
      end

      def check_gvl(value)
        return if %i[release hold].include?(value)

        raise ArgumentError, "gvl must be :release or :hold (got #{value.inspect})"
      end

      def check_wasm_path(value)
        return nil if value.nil?
        return value.to_s if value.is_a?(String) || value.respond_to?(:to_path)

        raise ArgumentError, "wasm_path must be a String path or nil (got #{value.inspect})"
      end
    end

    # The options in effect.
    attr_reader :timeout, :memory_limit, :stdout_limit, :stderr_limit, :wasm_path, :profile
    # The +gvl:+ option as given (:release or :hold); the guest always runs
    # with the GVL released.
    attr_reader :gvl

    # Declares the namespace +name+ (a Symbol or String such as :KV) and
    # returns it; declaring it again returns the same Namespace.
    def define(name)
      name = constant_name(name, "namespace name")
      raise ArgumentError, "namespace name Kobako is reserved" if name == "Kobako"

      @setup_lock.synchronize do
        refuse_after_seal("define #{name}")
        @namespaces[name] ||= begin
          # The guest defines the module even before it has members; a name
          # the guest already has (Data, String, JSON...) keeps its class,
          # and the members are bound under it.
          __preload_binary(__compile(name, "Object.const_set(:#{name}, Module.new) unless Object.const_defined?(:#{name})"))
          Namespace.new(self, name)
        end
      end
    end

    # Preloads a snippet every invocation replays before its own work:
    # +code:+ with +name:+ (mruby source, compiled now as a check) or
    # +binary:+ (mruby bytecode). Returns self.
    def preload(code: ABSENT, binary: ABSENT, name: ABSENT)
      given = { code: code, binary: binary, name: name }.reject { |_, v| ABSENT.equal?(v) }
      @setup_lock.synchronize do
        case given.keys.sort
        when %i[code name] then preload_code(code, name)
        when %i[binary] then preload_binary(binary)
        else
          raise ArgumentError, "preload takes code: with name:, or binary: alone (got #{given.keys.inspect})"
        end
      end
      self
    end

    # Binds +object+ at +path+ ("Namespace::Member"), as define(ns).bind
    # does; without an object, declares the path: its constant exists and
    # each invocation may fill it (see #eval). Returns self.
    def bind(path, *object)
      raise ArgumentError, "bind takes a path and at most one object (got #{object.size} objects)" if object.size > 1
      unless (path.is_a?(String) || path.is_a?(Symbol)) && Invocation::PATH.match?(path.to_s)
        raise ArgumentError, "path must look like \"Namespace::Member\" (got #{path.inspect})"
      end

      namespace, member = path.to_s.split("::")
      raise ArgumentError, "namespace name Kobako is reserved" if namespace == "Kobako"
      return tap { define(namespace).bind(member, object.first) } unless object.empty?

      @setup_lock.synchronize do
        refuse_after_seal("bind #{path}")
        __declare(path.to_s)
        @paths[path.to_s] = true
      end
      self
    end

    # Installs a Kobako::Extension: preloads its source and binds its
    # backend (an object for good, or a provider asked once per invocation).
    # Returns self.
    def install(extension)
      raise ArgumentError, "install takes a Kobako::Extension (got #{extension.class})" unless extension.is_a?(Extension)

      backend = extension.backend
      # Refuse a taken path before anything is installed.
      if backend && @setup_lock.synchronize { @paths.key?(backend.path) }
        raise ArgumentError, "#{backend.path} is already bound; the extension was not installed"
      end
      preload(code: extension.source, name: extension.name)
      if backend&.provider
        bind(backend.path)
        @setup_lock.synchronize { @providers[backend.path] = backend.provider }
      elsif backend
        bind(backend.path, backend.object)
      end
      self
    end

    # Evaluates +code+ in a fresh interpreter and returns the value of its
    # last expression. A block, if given, gets a Kobako::Invocation to bind
    # objects for this invocation only.
    def eval(code, &scope)
      unless code.is_a?(String)
        raise SandboxError, "code must be a String (got #{code.class})"
      end

      bindings = invocation_bindings(scope)
      invoke { __eval(code, bindings) }
    end

    # Calls the preloaded entrypoint +target+ (a top-level constant that
    # responds to call) with +args+; keywords arrive as one trailing Hash.
    # Objects in the arguments reach the guest as Handles. A block binds
    # objects for this invocation, as for #eval.
    def run(target, *args, **kwargs, &scope)
      unless target.is_a?(Symbol) || target.is_a?(String)
        raise TypeError, "run target must be a Symbol or String (got #{target.inspect})"
      end

      name = target.to_s
      unless CONSTANT_NAME.match?(name)
        raise ArgumentError, "run target #{name.inspect} must match /\\A[A-Z][A-Za-z0-9_]*\\z/ (a top-level constant name like :Adder)"
      end

      kwargs.each_key do |key|
        raise ArgumentError, "keyword argument keys must be Symbols (got #{key.inspect})" unless key.is_a?(Symbol)
      end
      bindings = invocation_bindings(scope)
      invoke { __run(name, args, kwargs, bindings) }
    end

    # What the guest wrote to stdout in this thread's last invocation.
    def stdout = record.stdout

    # What the guest wrote to stderr in this thread's last invocation.
    def stderr = record.stderr

    # True when the last invocation tried to write more than stdout_limit.
    def stdout_truncated? = record.stdout_truncated

    # True when the last invocation tried to write more than stderr_limit.
    def stderr_truncated? = record.stderr_truncated

    # The Kobako::Usage of this thread's last invocation.
    def usage = record.usage

    private

    def setup(options)
      @timeout = options[:timeout]
      @memory_limit = options[:memory_limit]
      @stdout_limit = options[:stdout_limit]
      @stderr_limit = options[:stderr_limit]
      @wasm_path = options[:wasm_path]
      @profile = options[:profile]
      @gvl = options.fetch(:gvl, :release)
      @namespaces = {}
      @providers = {}
      @paths = {}
      @setup_lock = Mutex.new
      @sealed = false
      @records_key = :"kobako_sandbox_#{object_id}"
    end

    # The [path, object] pairs of one invocation: an object from each
    # installed provider, then what the block binds.
    def invocation_bindings(scope)
      provided = @providers.map { |path, provider| [path, provider.call] }
      return provided unless scope

      context = Invocation.new
      begin
        scope.call(context)
      ensure
        pairs = context.__close
      end
      provided + pairs
    end

    def bind_member(namespace, member, object)
      member = constant_name(member, "member name")
      @setup_lock.synchronize do
        refuse_after_seal("bind #{namespace}::#{member}")
        __bind("#{namespace}::#{member}", object)
        @paths["#{namespace}::#{member}"] = true
      end
    end

    def preload_code(code, name)
      raise ArgumentError, "preload code: must be a String (got #{code.class})" unless code.is_a?(String)

      name = constant_name(name, "snippet name")
      refuse_after_seal("preload #{name}")
      if code.bytesize > MESSAGE_MAX
        raise ArgumentError, "snippet #{name} is #{code.bytesize} bytes, over the 16 MiB limit"
      end

      __preload_code(name, code)
    end

    def preload_binary(binary)
      raise ArgumentError, "preload binary: must be a String (got #{binary.class})" unless binary.is_a?(String)

      refuse_after_seal("preload bytecode")
      __preload_binary(binary)
    end

    def constant_name(name, what)
      unless name.is_a?(Symbol) || name.is_a?(String)
        raise ArgumentError, "#{what} must be a Symbol or String (got #{name.inspect})"
      end

      text = name.to_s
      return text if CONSTANT_NAME.match?(text)

      raise ArgumentError, "#{what} #{text.inspect} must match /\\A[A-Z]\\w*\\z/ (an ASCII capital, then letters, digits or _)"
    end

    def refuse_after_seal(what)
      return unless @sealed

      raise ArgumentError, "cannot #{what} after first Sandbox invocation: the sandbox is sealed by its first invocation"
    end

    # Runs one invocation and keeps its record for this thread's readers.
    def invoke
      value, output = Dispatcher.verdicts { yield }
      remember(output)
      value
    rescue Kobako::Error => e
      output = e.instance_variable_get(:@output)
      remember(output) if output
      raise
    end

    def remember(output)
      @sealed = true
      stdout, stderr, stdout_truncated, stderr_truncated, wall_time, memory_peak = output
      usage = Usage.new(wall_time: wall_time, memory_peak: memory_peak).freeze
      records = Thread.current.thread_variable_get(:kobako_records) ||
                Thread.current.thread_variable_set(:kobako_records, {})
      records[@records_key] = Record.new(stdout, stderr, stdout_truncated, stderr_truncated, usage).freeze
    end

    def record
      records = Thread.current.thread_variable_get(:kobako_records)
      (records && records[@records_key]) || EMPTY_RECORD
    end
  end
end
