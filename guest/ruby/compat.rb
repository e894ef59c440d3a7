# CRuby 3.4 behaviour that mruby 4.0 and its gems lack, or answer
# differently, in everyday scripts: loaded after the runtime's other files when the image
# is built. The CRuby differential suite (crates/kobako/tests/cruby) is what
# each piece is measured by.

module Kernel
  private

  # The guest loads no files. `require` of a library it has built in
  # answers as CRuby 3.4 does (true the first time for one CRuby loads on
  # demand, false for one it always has); any other name is a LoadError.
  def require(name)
    feature = Kobako.__feature_name(name)
    loaded = Kobako::LOADED_FEATURES
    unless Kobako::BUILTIN_FEATURES.include?(feature)
      raise LoadError, "cannot load such file -- #{feature}"
    end
    return false if loaded.include?(feature)
    loaded << feature
    loaded << "prettyprint" if feature == "pp"
    true
  end

  def load(name, _wrap = false)
    raise LoadError, "cannot load such file -- #{Kobako.__feature_name(name)} (the sandbox has no files)"
  end

  def require_relative(name)
    raise LoadError, "cannot load such file -- #{Kobako.__feature_name(name)} (the sandbox has no files)"
  end
end

module Kobako
  # Libraries whose code the guest has built in, and those CRuby 3.4 has
  # loaded before a script starts.
  BUILTIN_FEATURES = %w[
    json set pp prettyprint time base64 forwardable ostruct stringio English
    enumerator fiber rational complex thread
  ].freeze
  LOADED_FEATURES = %w[enumerator fiber rational complex thread]

  $LOADED_FEATURES = LOADED_FEATURES

  def self.__feature_name(name)
    return name if name.is_a?(String)

    raise TypeError, "no implicit conversion of #{name.nil? ? 'nil' : name.class} into String"
  end
end

# Encodings: Strings are UTF-8 or binary (ASCII-8BIT), as mruby-encoding
# keeps them; Encoding objects stand for the two, as in CRuby, where the gem
# had name strings.
Object.__send__(:remove_const, :Encoding)

class EncodingError < StandardError; end

class Encoding
  attr_reader :name

  def initialize(name, *aliases)
    @name = name
    @names = [name, *aliases]
  end

  def names = @names.dup
  def to_s = @name
  def ascii_compatible? = true
  def dummy? = false
  def inspect = @name == "ASCII-8BIT" ? "#<Encoding:BINARY (ASCII-8BIT)>" : "#<Encoding:#{@name}>"

  UTF_8 = new("UTF-8", "CP65001")
  ASCII_8BIT = new("ASCII-8BIT", "BINARY")
  BINARY = ASCII_8BIT
  # Strings keep only "binary or not": a US-ASCII String is a UTF-8 one.
  US_ASCII = new("US-ASCII", "ASCII", "ANSI_X3.4-1968", "646")

  def self.list = [ASCII_8BIT, UTF_8, US_ASCII]
  def self.name_list = list.flat_map(&:names)
  def self.default_external = UTF_8
  def self.default_internal = nil

  def self.find(name)
    return name if name.is_a?(Encoding)

    key = name.to_str.upcase
    found = list.find { |encoding| encoding.names.any? { |n| n.upcase == key } }
    found || raise(ArgumentError, "unknown encoding name - #{name}")
  end

  class CompatibilityError < EncodingError; end
  class UndefinedConversionError < EncodingError; end
  class InvalidByteSequenceError < EncodingError; end
end

class String
  alias __kobako_force_encoding force_encoding

  def force_encoding(encoding)
    __kobako_force_encoding(Encoding.find(encoding) == Encoding::BINARY ? "BINARY" : "UTF-8")
  end

  def b = dup.force_encoding(Encoding::BINARY)
  def ascii_only? = bytes.all? { |byte| byte < 0x80 }

  def unicode_normalize(form = :nfc)
    raise NotImplementedError, "unicode_normalize is not available in the sandbox" unless ascii_only?

    dup
  end

  # Converts between the two encodings the guest knows; bytes that are not
  # valid in the target raise, as in CRuby, unless `invalid:`/`undef:
  # :replace` asks for a replacement.
  def encode(encoding = Encoding::UTF_8, from = nil, **options)
    invalid = options[:invalid]
    undefined = options[:undef]
    target = Encoding.find(encoding)
    source = from ? Encoding.find(from) : self.encoding
    return dup.force_encoding(target) if target == Encoding::BINARY || source == target && valid_encoding?

    copy = dup.force_encoding(target)
    return copy if copy.valid_encoding?
    if source == Encoding::BINARY && invalid.nil? && undefined.nil?
      byte = bytes.find { |b| b >= 0x80 }
      raise Encoding::UndefinedConversionError, format('"\\x%02X" from ASCII-8BIT to UTF-8', byte)
    end
    raise Encoding::InvalidByteSequenceError, "invalid byte sequence in UTF-8" if invalid.nil? && undefined.nil?

    copy.scrub(options[:replace] || "\uFFFD")
  end

  def scrub(replacement = nil, &block)
    return dup if valid_encoding?

    out = String.new
    chars.each do |char|
      out << (char.valid_encoding? ? char : (block ? block.call(char) : (replacement || "\uFFFD")))
    end
    out
  end
end

class Data
  # A copy with some members replaced (Ruby 3.2+).
  def with(**changes)
    return self if changes.empty?

    self.class.new(**to_h.merge(changes))
  end
end

class Integer
  def pred = self - 1
end

module Enumerable
  # Distinct alias names per class: an aliased original that calls `super`
  # (Range#max does) must not land in another class's alias.
  alias __kobako_enum_max max
  alias __kobako_enum_min min

  # With a count, the n largest (or smallest) elements, in order, as in
  # CRuby; without one, mruby's own.
  def max(n = nil, &block)
    return __kobako_enum_max(&block) if n.nil?

    sort(&block).last(__kobako_count(n)).reverse
  end

  def min(n = nil, &block)
    return __kobako_enum_min(&block) if n.nil?

    sort(&block).first(__kobako_count(n))
  end

  def slice_when(&block)
    raise ArgumentError, "tried to create Proc object without a block" unless block

    chunk_while { |a, b| !block.call(a, b) }
  end

  private

  def __kobako_count(n)
    count = Integer(n)
    raise ArgumentError, "negative size (#{count})" if count.negative?

    count
  end
end

class Range
  alias __kobako_range_max max
  alias __kobako_range_min min

  def max(n = nil, &block)
    n.nil? ? __kobako_range_max(&block) : super
  end

  def min(n = nil, &block)
    n.nil? ? __kobako_range_min(&block) : super
  end

  # Every n-th element; numeric ranges count up from the start by n, so
  # Float steps work as in CRuby. Without a block it is an arithmetic
  # sequence, as in CRuby.
  def step(n = 1, &block)
    raise ArgumentError, "step can't be 0" if n == 0
    raise ArgumentError, "step can't be negative" if n.negative?
    return Enumerator::ArithmeticSequence.__make(self, :step, n) unless block

    first = self.begin
    if first.is_a?(Numeric)
      last = self.end
      i = 0
      loop do
        value = first + i * n
        break if last && (exclude_end? ? value >= last : value > last)

        block.call(value)
        i += 1
      end
    else
      each_with_index { |value, i| block.call(value) if (i % n).zero? }
    end
    self
  end

  def %(n, &block) = block ? step(n, &block) : Enumerator::ArithmeticSequence.__make(self, :%, n)
end

# Exceptions CRuby has and mruby does not.
class LoadError < ScriptError; end
class IOError < StandardError; end
class EOFError < IOError; end
class SignalException < Exception; end
class Interrupt < SignalException; end

class SystemExit < Exception
  attr_reader :status

  def initialize(status = 0, message = "exit")
    status, message = 0, status if status.is_a?(String)
    @status = status == true ? 0 : (status == false ? 1 : status)
    super(message)
  end

  def success? = @status.zero?
end

class NoMatchingPatternKeyError < NoMatchingPatternError
  attr_reader :key, :matchee
end

class Exception
  def ==(other)
    equal?(other) ||
      (other.instance_of?(self.class) && message == other.message && backtrace == other.backtrace)
  end
end

class Integer
  def [](index, length = nil)
    return (self >> index) & 1 if length.nil?

    (self >> index) & ((1 << length) - 1)
  end

  def gcdlcm(other) = [gcd(other), lcm(other)]
  def coerce(other) = other.is_a?(Integer) ? [other, self] : [Float(other), to_f]
  def infinite? = nil
  def finite? = true

  def self.try_convert(object)
    return object if object.is_a?(Integer)
    return nil unless object.respond_to?(:to_int)

    object.to_int
  end

  alias __kobako_round round
  alias __kobako_floor floor
  alias __kobako_ceil ceil
  alias __kobako_truncate truncate

  # Negative digits round to tens, hundreds, ... as in CRuby (mruby's
  # 15.round(-1) was 5).
  def round(ndigits = 0, half: :up)
    return __kobako_round(ndigits) if ndigits >= 0

    unit = 10**-ndigits
    quotient, rest = abs.divmod(unit)
    twice = rest * 2
    up = case half
         when :up, nil then twice >= unit
         when :down then twice > unit
         when :even then twice > unit || (twice == unit && quotient.odd?)
         else raise ArgumentError, "invalid rounding mode: #{half}"
         end
    quotient += 1 if up
    negative? ? -(quotient * unit) : quotient * unit
  end

  def floor(ndigits = 0)
    return __kobako_floor(ndigits) if ndigits >= 0

    unit = 10**-ndigits
    div(unit) * unit
  end

  def ceil(ndigits = 0)
    return __kobako_ceil(ndigits) if ndigits >= 0

    -(-self).floor(ndigits)
  end

  def truncate(ndigits = 0)
    return __kobako_truncate(ndigits) if ndigits >= 0

    negative? ? ceil(ndigits) : floor(ndigits)
  end

  alias __kobako_chr chr

  def chr(encoding = nil)
    encoding.nil? ? __kobako_chr : __kobako_chr(encoding.to_s)
  end
end

class Float
  alias __kobako_round round

  # `half:` picks how a tie rounds (:up, the default, :even or :down).
  def round(ndigits = 0, half: :up)
    return __kobako_round(ndigits) if half.nil? || half == :up
    raise ArgumentError, "invalid rounding mode: #{half}" unless half == :even || half == :down

    scale = 10.0**ndigits
    scaled = abs * scale
    floor = scaled.floor
    if scaled - floor == 0.5
      whole = half == :even && floor.odd? ? floor + 1 : floor
      result = ndigits.positive? ? whole / scale : whole
      return negative? ? -result : result
    end
    __kobako_round(ndigits)
  end
end

module Enumerable
  def to_set(&block) = Set.new(self, &block)

  def slice_before(pattern = nil, &block)
    test = block || ->(element) { pattern === element }
    Enumerator.new do |out|
      group = nil
      each do |element|
        if group && test.call(element)
          out << group
          group = nil
        end
        (group ||= []) << element
      end
      out << group if group
    end
  end

  def slice_after(pattern = nil, &block)
    test = block || ->(element) { pattern === element }
    Enumerator.new do |out|
      group = nil
      each do |element|
        (group ||= []) << element
        if test.call(element)
          out << group
          group = nil
        end
      end
      out << group if group
    end
  end

  alias __kobako_max_by max_by
  alias __kobako_min_by min_by

  def max_by(n = nil, &block)
    return __kobako_max_by(&block) if n.nil? || block.nil?

    sort_by(&block).last(__kobako_count(n)).reverse
  end

  def min_by(n = nil, &block)
    return __kobako_min_by(&block) if n.nil? || block.nil?

    sort_by(&block).first(__kobako_count(n))
  end
end

# Array#sum adds Floats with Kahan-Babuska compensation, as CRuby does, so
# [0.1, 0.2, 0.3].sum is 0.6.
module Kobako
  def self.__sum(values, init, block)
    sum = init
    compensation = 0.0
    floating = false
    values.each do |value|
      value = block.call(value) if block
      if !floating && value.is_a?(Float) && (sum.is_a?(Integer) || sum.is_a?(Float))
        floating = true
        sum = sum.to_f
      end
      if floating && (value.is_a?(Float) || value.is_a?(Integer))
        x = value.to_f
        if sum.nan? || sum.infinite?
          sum += x
        elsif x.nan? || x.infinite?
          sum = x
        else
          t = sum + x
          compensation += sum.abs >= x.abs ? (sum - t) + x : (x - t) + sum
          sum = t
        end
      else
        if floating
          sum += compensation
          compensation = 0.0
          floating = false
        end
        sum += value
      end
    end
    floating ? sum + compensation : sum
  end
end

class Array
  def sum(init = 0, &block) = Kobako.__sum(self, init, block)
end

class Hash
  alias __kobako_to_h to_h
  alias __kobako_transform_keys transform_keys

  def to_h(&block)
    return __kobako_to_h unless block

    each_with_object({}) do |(key, value), out|
      pair = block.call(key, value)
      raise TypeError, "wrong element type #{pair.class} (expected array)" unless pair.is_a?(Array)

      out[pair[0]] = pair[1]
    end
  end

  def transform_keys(mapping = nil, &block)
    return __kobako_transform_keys(&block) unless mapping

    each_with_object({}) do |(key, value), out|
      out[mapping.fetch(key) { block ? block.call(key) : key }] = value
    end
  end
end

class Struct
  alias __kobako_each each
  alias __kobako_to_h to_h

  def each(&block)
    return to_enum(:each) unless block

    __kobako_each(&block)
  end

  def each_pair
    return to_enum(:each_pair) unless block_given?

    members.each { |name| yield name, self[name] }
    self
  end

  def to_h(&block) = block ? __kobako_to_h.to_h(&block) : __kobako_to_h
  def deconstruct = to_a
  def deconstruct_keys(keys) = keys ? __kobako_to_h.slice(*keys) : __kobako_to_h
end

class Data
  def deconstruct = to_h.values
  def deconstruct_keys(keys) = keys ? to_h.slice(*keys) : to_h
  def hash = [self.class, to_h].hash
  def eql?(other) = other.instance_of?(self.class) && to_h.eql?(other.to_h)
end

class Set
  def inspect = "#<Set: {#{to_a.map(&:inspect).join(', ')}}>"
  alias to_s inspect

  def ^(enum)
    result = Set.new(enum)
    each { |element| result.add(element) unless result.delete?(element) }
    result
  end

  def to_set = self
end

class Symbol
  def succ = to_s.succ.to_sym
  alias next succ
  def [](*args) = to_s[*args]
  alias slice []
  def start_with?(*prefixes) = to_s.start_with?(*prefixes)
  def end_with?(*suffixes) = to_s.end_with?(*suffixes)
  def id2name = to_s
  def encoding = to_s.ascii_only? ? Encoding::US_ASCII : Encoding::UTF_8
end

class String
  def sum(bits = 16) = bits.positive? ? bytes.sum & ((1 << bits) - 1) : bytes.sum

  alias __kobako_concat concat

  def concat(*strings)
    strings.each { |string| __kobako_concat(string) }
    self
  end

  def to_r
    text = strip
    return Rational(0, 1) unless text.match?(/\A[-+]?\d/)

    if (m = text.match(%r{\A([-+]?\d[\d_]*)(?:\.(\d+))?(?:/(\d+))?}))
      whole, frac, denominator = m[1].delete("_"), m[2], m[3]
      value = frac ? Rational((whole + frac).to_i, 10**frac.size) : Rational(whole.to_i, 1)
      denominator ? value / denominator.to_i : value
    else
      Rational(0, 1)
    end
  end
end

class Time
  def to_a = [sec, min, hour, day, month, year, wday, yday, dst?, zone]
  def subsec = usec.zero? ? 0 : Rational(usec, 1_000_000)
  def round(_digits = 0)
    rounded = Time.at(to_i + (usec >= 500_000 ? 1 : 0))
    utc? ? rounded.utc : rounded
  end

  alias __kobako_inspect inspect

  def inspect
    return __kobako_inspect if usec.zero?

    fraction = format("%06d", usec).sub(/0+\z/, "")
    __kobako_inspect.sub(/(\d\d:\d\d:\d\d)/) { "#{$1}.#{fraction}" }
  end

  MONTHS = %w[jan feb mar apr may jun jul aug sep oct nov dec].freeze
  DAY_NAMES = %w[Sunday Monday Tuesday Wednesday Thursday Friday Saturday].freeze
  MONTH_NAMES = %w[January February March April May June July August September October November December].freeze

  class << self
    alias __kobako_utc utc
    alias __kobako_local local
    alias __kobako_at at

    def utc(year, month = 1, *rest) = __kobako_utc(year, __kobako_month(month), *rest)
    alias gm utc

    def local(year, month = 1, *rest) = __kobako_local(year, __kobako_month(month), *rest)
    alias mktime local

    # Time.at(seconds, subsecond, unit) as in CRuby.
    def at(seconds, subsecond = nil, unit = :microsecond, in: nil)
      return __kobako_at(seconds) if subsecond.nil?

      micro = case unit
              when :millisecond then subsecond * 1000
              when :usec, :microsecond then subsecond
              when :nsec, :nanosecond then subsecond / 1000
              else raise ArgumentError, "unexpected unit: #{unit}"
              end
      __kobako_at(seconds, micro)
    end

    def __kobako_month(month)
      return month unless month.is_a?(String)

      index = MONTHS.index(month.downcase[0, 3])
      index ? index + 1 : Integer(month, 10)
    end
  end

  # strftime with CRuby's flags (- _ 0 ^ #), widths and the conversions
  # mruby's own lacks (%l %P %L %N %:z %s ...).
  def strftime(format)
    raise TypeError, "no implicit conversion of #{format.nil? ? 'nil' : format.class} into String" unless format.is_a?(String)

    format.gsub(/%([-_0^#]*)(\d*)(:{0,2})([a-zA-Z%+])/) do
      flags, width, colons, conversion = $1, $2, $3, $4
      __kobako_strftime_one(flags, width.empty? ? nil : width.to_i, colons, conversion)
    end
  end

  def __kobako_strftime_one(flags, width, colons, conversion)
    text, pad, default_width =
      case conversion
      when "Y" then [year.to_s, "0", 0]
      when "C" then [(year / 100).to_s, "0", 2]
      when "y" then [(year % 100).to_s, "0", 2]
      when "m" then [month.to_s, "0", 2]
      when "B" then [MONTH_NAMES[month - 1], " ", 0]
      when "b", "h" then [MONTH_NAMES[month - 1][0, 3], " ", 0]
      when "d" then [day.to_s, "0", 2]
      when "e" then [day.to_s, " ", 2]
      when "j" then [yday.to_s, "0", 3]
      when "H" then [hour.to_s, "0", 2]
      when "k" then [hour.to_s, " ", 2]
      when "I" then [((hour % 12).zero? ? 12 : hour % 12).to_s, "0", 2]
      when "l" then [((hour % 12).zero? ? 12 : hour % 12).to_s, " ", 2]
      when "P" then [hour < 12 ? "am" : "pm", " ", 0]
      when "p" then [hour < 12 ? "AM" : "PM", " ", 0]
      when "M" then [min.to_s, "0", 2]
      when "S" then [sec.to_s, "0", 2]
      when "L" then [format("%06d", usec)[0, width || 3].ljust(width || 3, "0"), "0", 0]
      when "N" then [format("%06d", usec).ljust(width || 9, "0")[0, width || 9], "0", 0]
      when "z" then [__kobako_zone_offset(colons), "0", 0]
      when "Z" then [zone.to_s, " ", 0]
      when "A" then [DAY_NAMES[wday], " ", 0]
      when "a" then [DAY_NAMES[wday][0, 3], " ", 0]
      when "u" then [(wday.zero? ? 7 : wday).to_s, "0", 1]
      when "w" then [wday.to_s, "0", 1]
      when "s" then [to_i.to_s, "0", 1]
      when "n" then ["\n", " ", 0]
      when "t" then ["\t", " ", 0]
      when "%" then ["%", " ", 0]
      when "c" then [strftime("%a %b %e %H:%M:%S %Y"), " ", 0]
      when "D", "x" then [strftime("%m/%d/%y"), " ", 0]
      when "F" then [strftime("%Y-%m-%d"), " ", 0]
      when "T", "X" then [strftime("%H:%M:%S"), " ", 0]
      when "R" then [strftime("%H:%M"), " ", 0]
      when "r" then [strftime("%I:%M:%S %p"), " ", 0]
      when "+" then [strftime("%a %b %e %H:%M:%S %Z %Y"), " ", 0]
      when "U", "W", "G", "g", "V" then [__kobako_week(conversion), "0", conversion == "G" ? 0 : 2]
      else return "%#{flags}#{width}#{colons}#{conversion}"
      end
    return text if %w[L N].include?(conversion)

    text = text.upcase if flags.include?("^")
    text = text.swapcase if flags.include?("#")
    pad = " " if flags.include?("_")
    pad = "0" if flags.include?("0")
    return text.sub(/\A0+(?=\d)/, "") if flags.include?("-")

    text.rjust(width || default_width, pad)
  end

  def __kobako_zone_offset(colons)
    offset = utc_offset
    sign = offset.negative? ? "-" : "+"
    hours, minutes = offset.abs.divmod(3600)
    minutes /= 60
    colons.empty? ? format("%s%02d%02d", sign, hours, minutes) : format("%s%02d:%02d", sign, hours, minutes)
  end

  def __kobako_week(conversion)
    case conversion
    when "U" then ((yday - 1 - wday + 7) / 7).to_s
    when "W" then ((yday - 1 - (wday - 1) % 7 + 7) / 7).to_s
    else
      wday_iso = wday.zero? ? 7 : wday
      thursday = self + (4 - wday_iso) * 86_400
      week = (thursday.yday - 1) / 7 + 1
      { "V" => week.to_s, "G" => thursday.year.to_s, "g" => (thursday.year % 100).to_s }[conversion]
    end
  end

  def iso8601(fraction_digits = 0)
    fraction = fraction_digits.positive? ? format(".%0#{fraction_digits}d", usec * 10**fraction_digits / 1_000_000) : ""
    offset = utc? ? "Z" : format("%s%02d:%02d", utc_offset.negative? ? "-" : "+", utc_offset.abs / 3600, utc_offset.abs % 3600 / 60)
    format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", year, month, day, hour, min, sec, fraction, offset)
  end
  alias xmlschema iso8601

  def self.iso8601(text)
    m = text.match(/\A(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[-+]\d\d:?\d\d)\z/)
    raise ArgumentError, "invalid xmlschema format: #{text.inspect}" unless m

    seconds = utc(m[1].to_i, m[2].to_i, m[3].to_i, m[4].to_i, m[5].to_i, m[6].to_i).to_i
    unless m[8] == "Z"
      sign = m[8][0] == "-" ? -1 : 1
      digits = m[8].delete(":")
      seconds -= sign * (digits[1, 2].to_i * 3600 + digits[3, 2].to_i * 60)
    end
    at(seconds).utc
  end

  class << self
    alias xmlschema iso8601
  end
end

module Base64
  def self.strict_encode64(bin) = [bin].pack("m0")
  def self.encode64(bin) = [bin].pack("m")
  def self.strict_decode64(str) = str.unpack1("m0")
  def self.decode64(str) = str.unpack1("m")
  def self.urlsafe_encode64(bin, padding: true)
    out = strict_encode64(bin).tr("+/", "-_")
    padding ? out : out.delete("=")
  end

  def self.urlsafe_decode64(str)
    text = str.tr("-_", "+/")
    text += "=" * ((4 - text.size % 4) % 4)
    strict_decode64(text)
  end
end

module Forwardable
  def def_delegator(accessor, method, name = method)
    accessor = accessor.to_s
    define_method(name) do |*args, **kwargs, &block|
      target = accessor.start_with?("@") ? instance_variable_get(accessor) : __send__(accessor)
      target.__send__(method, *args, **kwargs, &block)
    end
  end

  def def_delegators(accessor, *methods)
    methods.each { |method| def_delegator(accessor, method) }
  end

  alias delegate_method def_delegator
end

class OpenStruct
  def initialize(hash = nil)
    @table = {}
    hash&.each { |key, value| @table[key.to_sym] = value }
  end

  def [](name) = @table[name.to_sym]
  def []=(name, value)
    @table[name.to_sym] = value
  end

  def to_h = @table.dup
  def respond_to_missing?(name, include_private = false) = @table.key?(name.to_s.chomp("=").to_sym) || super
  def ==(other) = other.is_a?(OpenStruct) && to_h == other.to_h
  def dig(name, *rest) = rest.empty? ? self[name] : self[name]&.dig(*rest)
  def each_pair(&block) = @table.each_pair(&block)
  def inspect = "#<OpenStruct #{@table.map { |k, v| "#{k}=#{v.inspect}" }.join(', ')}>"
  alias to_s inspect

  def method_missing(name, *args)
    key = name.to_s
    if key.end_with?("=")
      @table[key.chomp("=").to_sym] = args[0]
    elsif args.empty?
      @table[name]
    else
      super
    end
  end
end

class StringIO
  attr_accessor :string

  def initialize(string = String.new, _mode = nil)
    @string = string
    @pos = 0
  end

  def write(*objects)
    objects.sum { |object| text = object.to_s; @string << text; text.bytesize }
  end

  def <<(object)
    write(object)
    self
  end

  def print(*objects) = (objects.each { |object| write(object) }; nil)
  def puts(*objects) = (objects.empty? ? write("\n") : objects.flatten.each { |o| text = o.to_s; write(text.end_with?("\n") ? text : text + "\n") }; nil)
  def printf(format, *args) = (write(format(format, *args)); nil)

  def read
    rest = @string.byteslice(@pos, @string.bytesize - @pos) || ""
    @pos = @string.bytesize
    rest
  end

  def gets
    return nil if @pos >= @string.bytesize

    line_end = @string.index("\n", @pos)
    line = line_end ? @string.byteslice(@pos, line_end - @pos + 1) : @string.byteslice(@pos, @string.bytesize - @pos)
    @pos += line.bytesize
    line
  end

  def each_line
    return to_enum(:each_line) unless block_given?

    while (line = gets)
      yield line
    end
    self
  end

  def rewind = (@pos = 0)
  def eof? = @pos >= @string.bytesize
end

module Kernel
  private

  def JSON(object, opts = nil) = object.is_a?(String) ? JSON.parse(object, opts) : JSON.generate(object, opts)
end

# dig as CRuby has it: a step into an object without #dig is a TypeError.
[Hash, Array].each do |klass|
  klass.define_method(:dig) do |key, *rest|
    value = self[key]
    next value if rest.empty? || value.nil?
    raise TypeError, "#{value.class} does not have #dig method" unless value.respond_to?(:dig)

    value.dig(*rest)
  end
end

class Range
  def frozen? = true
end

class Exception
  # Ruby 3.4's form: #<Class: message>, the message quoted when it spans
  # lines.
  def inspect
    text = message.to_s
    return self.class.name.to_s if text.empty?
    return "#<#{self.class}:#{text.inspect}>" if text.include?("\n")

    "#<#{self.class}: #{text}>"
  end
end

class Module
  def private_class_method(*names)
    names.flatten.each do |name|
      # An inherited class method (`new`) gets its own copy to hide.
      unless singleton_class.instance_methods(false).include?(name.to_sym)
        singleton_class.__send__(:define_method, name) { |*args, **opts, &block| super(*args, **opts, &block) }
      end
      singleton_class.__send__(:private, name)
    end
    nil
  end

  def public_class_method(*names)
    singleton_class.__send__(:public, *names.flatten)
    nil
  end

  def private_method_defined?(name, inherit = true)
    private_instance_methods(inherit).include?(name.to_sym)
  end

  alias __kobako_module_function module_function

  # Without names, the methods defined after it in the module body become
  # module functions, as in CRuby.
  def module_function(*names)
    return __kobako_module_function(*names) unless names.empty?

    mod = self
    singleton_class.define_method(:method_added) do |name|
      mod.__send__(:__kobako_module_function, name)
      mod.__send__(:private, name)
    end
    nil
  end
end

module ObjectSpace
  def self.garbage_collect(**) = GC.start
end

module Kernel
  alias __kobako_clone clone

  def clone(freeze: nil)
    copy = __kobako_clone
    copy.freeze if freeze == true
    copy
  end
end

class Range
  def bsearch(&block)
    return to_enum(:bsearch) unless block

    low = self.begin
    high = exclude_end? ? self.end - 1 : self.end
    found = nil
    while low <= high
      mid = low + (high - low) / 2
      verdict = block.call(mid)
      if verdict == true || (verdict.is_a?(Numeric) && verdict.zero?)
        found = mid
        return mid if verdict.is_a?(Numeric)

        high = mid - 1
      elsif verdict.nil? || verdict == false || (verdict.is_a?(Numeric) && verdict.negative?)
        verdict.is_a?(Numeric) ? high = mid - 1 : low = mid + 1
      else
        low = mid + 1
      end
    end
    found
  end
end

class MatchData
  def deconstruct_keys(keys)
    all = named_captures.transform_keys(&:to_sym)
    keys ? all.slice(*keys) : all
  end
end

module JSON
  class << self
    alias __kobako_parse parse

    def parse(source, opts = nil)
      result = __kobako_parse(source, opts)
      opts.is_a?(Hash) && opts[:freeze] ? __deep_freeze(result) : result
    end

    def __deep_freeze(value)
      case value
      when Array then value.each { |item| __deep_freeze(item) }
      when Hash then value.each_value { |item| __deep_freeze(item) }
      end
      value.freeze
    end
  end
end

# Case mapping beyond ASCII (Latin-1, Latin Extended-A, Greek, Cyrillic);
# ASCII-only Strings keep mruby's own, faster path.
module Kobako
  def self.__map_case(string, direction)
    out = String.new
    string.each_char do |char|
      code = char.ord
      out << if code < 0x80
               direction == :up ? char.upcase : char.downcase
             elsif direction == :up && code == 0xDF
               "SS"
             else
               __map_code(code, direction).chr(Encoding::UTF_8)
             end
    end
    out
  end

  def self.__map_code(code, direction)
    up = direction == :up
    case code
    when 0xE0..0xFE then up && code != 0xF7 ? code - 0x20 : code
    when 0xC0..0xDE then !up && code != 0xD7 ? code + 0x20 : code
    when 0x100..0x137, 0x14A..0x177
      up ? code & ~1 : code | 1
    when 0x139..0x148, 0x179..0x17E
      up ? (code.even? ? code - 1 : code) : (code.odd? ? code + 1 : code)
    when 0x1C4..0x1CC
      base = 0x1C4 + (code - 0x1C4) / 3 * 3
      up ? base : base + 2
    when 0x3B1..0x3C9 then up && code != 0x3C2 ? code - 0x20 : code
    when 0x391..0x3A9 then up ? code : code + 0x20
    when 0x430..0x44F then up ? code - 0x20 : code
    when 0x410..0x42F then up ? code : code + 0x20
    when 0x450..0x45F then up ? code - 0x50 : code
    when 0x400..0x40F then up ? code : code + 0x50
    else code
    end
  end
end

class String
  alias __kobako_upcase upcase
  alias __kobako_downcase downcase
  alias __kobako_capitalize capitalize
  alias __kobako_swapcase swapcase

  def upcase(*options) = bytesize == size ? __kobako_upcase : Kobako.__map_case(self, :up)
  def downcase(*options) = bytesize == size ? __kobako_downcase : Kobako.__map_case(self, :down)

  def capitalize(*options)
    return __kobako_capitalize if bytesize == size
    return dup if empty?

    Kobako.__map_case(self[0], :up) + Kobako.__map_case(self[1..], :down)
  end

  def swapcase(*options)
    return __kobako_swapcase if bytesize == size

    each_char.map { |c| (up = Kobako.__map_case(c, :up)) == c ? Kobako.__map_case(c, :down) : up }.join
  end

  def upcase!(*options) = (result = upcase) == self ? nil : replace(result)
  def downcase!(*options) = (result = downcase) == self ? nil : replace(result)
  def capitalize!(*options) = (result = capitalize) == self ? nil : replace(result)
  def swapcase!(*options) = (result = swapcase) == self ? nil : replace(result)
end

class Enumerator::Lazy
  def compact = select { |x| !x.nil? }
  def eager = Enumerator.new { |out| each { |x| out << x } }

  def with_index(offset = 0, &block)
    index = offset - 1
    map do |x|
      index += 1
      block ? block.call(x, index) : [x, index]
    end
  end

  alias __kobako_zip zip

  # mruby's own zip steps each argument with #next; a Range or an Array
  # has none until it is an Enumerator.
  def zip(*others) = __kobako_zip(*others.map { |other| other.respond_to?(:next) ? other : other.to_enum })
end

[Integer, Float].each do |klass|
  klass.class_eval do
    alias_method :__kobako_step, :step

    # `step(by:, to:)` as in CRuby.
    def step(limit = nil, step = 1, by: nil, to: nil, &block)
      __kobako_step(to || limit, by || step, &block)
    end
  end
end

class Array
  class << self
    alias __kobako_new new

    def new(*args, &block)
      raise ArgumentError, "negative array size" if args[0].is_a?(Integer) && args[0].negative?

      __kobako_new(*args, &block)
    end
  end
end

class Float
  def next_float
    return self if nan? || self == Float::INFINITY
    return 5.0e-324 if zero?
    return -(-self).prev_float if negative?

    _, exponent = Math.frexp(self)
    self + Math.ldexp(1.0, [exponent - 53, -1074].max)
  end

  def prev_float
    return self if nan? || self == -Float::INFINITY
    return -5.0e-324 if zero?
    return -(-self).next_float if negative?

    mantissa, exponent = Math.frexp(self)
    self - Math.ldexp(1.0, [mantissa == 0.5 ? exponent - 54 : exponent - 53, -1074].max)
  end
end

class NameError
  def receiver = @receiver
end

class FrozenError
  def receiver = @receiver
end

class KeyError
  def key = @key
  def receiver = @receiver
end

module Kernel
  private

  # `exit` and `abort` end the script with SystemExit, a guest exception:
  # nothing leaves the sandbox, and the host reports it like any other.
  def exit(status = true) = raise(SystemExit.new(status))

  def abort(message = nil)
    $stderr.puts(message) if message
    raise SystemExit.new(1, message || "exit")
  end

  # There is no clock to wait on in the sandbox.
  def sleep(*seconds)
    raise ArgumentError, "time interval must not be negative" if seconds.any? { |s| s.is_a?(Numeric) && s.negative? }

    raise NotImplementedError, "sleep is not available in the sandbox"
  end
end

# What a script started with no arguments and an empty environment sees.
ARGV = [].freeze
$* = ARGV
ENV = Object.new
class << ENV
  def [](_name) = nil
  def fetch(name, *default, &block)
    return block.call(name) if block
    return default.first unless default.empty?

    raise KeyError, "key not found: #{name.inspect}"
  end

  def key?(_name) = false
  alias include? key?
  alias has_key? key?
  def keys = []
  def values = []
  def to_h = {}
  alias to_hash to_h
  def each = self
  alias each_pair each
  def empty? = true
  def size = 0
  def inspect = "{}"
  def to_s = "ENV"
end
$0 = $PROGRAM_NAME = "-"

class Enumerator::ArithmeticSequence < Enumerator
  def self.__make(receiver, method, step) = new(receiver, method, step).tap { |seq| seq.__kobako_shape(receiver, method, step) }

  def __kobako_shape(receiver, method, step)
    @__receiver = receiver
    @__method = method
    @__step = step
  end

  def step = @__step
  def inspect = "((#{@__receiver.inspect}).#{@__method}(#{@__step.inspect}))"
  alias to_s inspect
end

class Range
  # mruby-range-ext's #last raises for an endless range (as CRuby's does),
  # and mruby's #hash went through it; CRuby hashes any range.
  def hash = [self.begin, self.end, exclude_end?].hash
end

module Kobako
  # What a model writing a script for this guest should know, read off the
  # guest itself when a host describes it (`kobako describe`, MCP).
  def self.__notes
    missing = %i[File Dir Socket Process Thread Marshal].reject { |name| Object.const_defined?(name) }
    clock = Time.now.to_i.zero? ? "the Unix epoch (a fixed clock)" : "the real clock"
    "Ruby: mruby #{MRUBY_VERSION} with CRuby 3.4 syntax and everyday core methods (pattern matching, " \
      "defined?, it and _1, endless methods, Data, Set, JSON, Regexp, Time#strftime). " \
      "`require` answers for #{BUILTIN_FEATURES.join(', ')}; any other library raises LoadError. " \
      "There is no #{missing.join(', ')}; ENV and ARGV are empty; sleep raises; exit ends the script " \
      "with SystemExit (an error). Time.now reads #{clock}. A result must be plain data (nil, true, " \
      "false, Integer, Float, String, Symbol, Array, Hash); convert other objects (Time, Set, Struct) " \
      "with to_s, to_a or to_h before returning them."
  end
end

# mruby keeps Fixnum as an alias of Integer for old code; CRuby removed it
# in 3.2 (NameError), and scripts testing `defined?(Fixnum)` expect that.
Object.send(:remove_const, :Fixnum) if Object.const_defined?(:Fixnum)
