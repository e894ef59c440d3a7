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
