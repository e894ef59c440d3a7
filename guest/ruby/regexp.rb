# Regexp and MatchData on Oniguruma (src/regexp.c compiles and searches);
# the rest of the surface is here. $~, $1..$9 and the other match globals
# are plain globals in mruby, set after each match (not frame-local as in
# CRuby).
class Regexp
  def initialize(source, options = nil, *, timeout: nil)
    @timeout = Regexp.__check_timeout(timeout)
    if source.is_a?(Regexp)
      options = source.options
      source = source.source
    end
    unless source.is_a?(String)
      raise TypeError, "no implicit conversion of #{source.nil? ? 'nil' : source.class} into String"
    end
    __compile(source, options)
    # Oniguruma lists names in hash order; CRuby in order of appearance.
    @names = @names.sort_by { |_, numbers| numbers[0] }.to_h
  end

  def initialize_copy(other) = __compile(other.source, other.options)

  # Ruby 3.2's match timeouts. Every match here is bounded by a backtracking
  # limit (Regexp::TimeoutError) and by the invocation's timeout, and the
  # sandbox reads no clock, so the value is checked and kept, but a match
  # does not end sooner because of it.
  def self.timeout = @__timeout
  def self.timeout=(seconds)
    @__timeout = __check_timeout(seconds)
  end
  def timeout = @timeout

  def self.__check_timeout(seconds)
    return nil if seconds.nil?
    unless seconds.is_a?(Numeric) && seconds.to_f.positive? && seconds.to_f.finite?
      raise ArgumentError, "invalid timeout: #{seconds.inspect}"
    end
    seconds.to_f
  end

  def self.compile(*args) = new(*args)
  def source = @source
  def options = @options
  def names = @names.keys
  def named_captures = @names.transform_values(&:dup)
  def casefold? = (@options & IGNORECASE) != 0
  def ==(other) = other.is_a?(Regexp) && source == other.source && options == other.options
  alias eql? ==
  def hash = [@source, @options].hash

  def to_s
    on = ""
    off = ""
    [[MULTILINE, "m"], [IGNORECASE, "i"], [EXTENDED, "x"]].each do |bit, letter|
      (@options & bit != 0 ? on : off) << letter
    end
    "(?#{on}#{off.empty? ? '' : "-#{off}"}:#{@source})"
  end

  def inspect
    text = +""
    escaped = false
    @source.each_char do |c|
      text << "\\" if c == "/" && !escaped
      text << c
      escaped = !escaped && c == "\\"
    end
    flags = [[MULTILINE, "m"], [IGNORECASE, "i"], [EXTENDED, "x"]].map { |b, l| @options & b != 0 ? l : "" }.join
    "/#{text}/#{flags}"
  end

  # The match at or after character `pos`, without touching $~.
  def __match_at(str, pos)
    str = str.to_s if str.is_a?(Symbol)
    unless str.is_a?(String)
      raise TypeError, "no implicit conversion of #{str.class} into String" unless str.respond_to?(:to_str)
      str = str.to_str
    end
    pos += str.size if pos < 0
    return nil if pos < 0 || pos > str.size
    __search(str, pos.zero? ? 0 : str[0, pos].bytesize)
  end

  def match(str, pos = 0)
    if str.nil?
      Regexp.__set_last_match(nil)
      return nil
    end
    m = __match_at(str, pos)
    Regexp.__set_last_match(m)
    m && block_given? ? yield(m) : m
  end

  def match?(str, pos = 0) = !str.nil? && !__match_at(str, pos).nil?

  def =~(str)
    m = match(str)
    m && m.begin(0)
  end

  def ===(other)
    return false unless other.is_a?(String) || other.is_a?(Symbol)
    !match(other).nil?
  end

  ESCAPES = { "\n" => "\\n", "\t" => "\\t", "\r" => "\\r", "\f" => "\\f", "\v" => "\\v", " " => "\\ " }.freeze
  SPECIAL = "[]{}()|-*.\\?+^$#".freeze

  def self.escape(str)
    str = str.to_s if str.is_a?(Symbol)
    out = +""
    str.each_char do |c|
      if ESCAPES.key?(c)
        out << ESCAPES[c]
      elsif SPECIAL.include?(c)
        out << "\\" << c
      else
        out << c
      end
    end
    out
  end

  class << self
    alias quote escape
  end

  def self.union(*patterns)
    patterns = patterns[0] if patterns.size == 1 && patterns[0].is_a?(Array)
    return new("(?!)") if patterns.empty?
    return patterns[0] if patterns.size == 1 && patterns[0].is_a?(Regexp)
    new(patterns.map { |p| p.is_a?(Regexp) ? p.to_s : escape(p) }.join("|"))
  end

  def self.last_match(n = nil)
    m = $~
    n.nil? || m.nil? ? m : m[n]
  end
end

class MatchData
  def regexp = @regexp
  def string = @string
  def size = @offsets.size / 2
  alias length size
  def names = @regexp.names

  def __bytes(n)
    b = @offsets[2 * n]
    b.nil? || b < 0 ? nil : [b, @offsets[2 * n + 1]]
  end

  def __group(n)
    range = __bytes(n)
    range && @string.byteslice(range[0], range[1] - range[0])
  end

  # The group a name stands for: the last of its numbers that matched.
  def __named(name)
    numbers = @regexp.instance_variable_get(:@names)[name.to_s]
    raise IndexError, "undefined group name reference: #{name}" if numbers.nil?
    numbers.reverse.find { |n| __bytes(n) } || numbers.last
  end

  def __index(key)
    case key
    when String, Symbol then __named(key)
    else
      n = Integer(key)
      n < 0 ? n + size : n
    end
  end

  def [](key, length = nil)
    return to_a[key, length] unless length.nil?
    return to_a[key] if key.is_a?(Range)
    n = __index(key)
    n < 0 || n >= size ? nil : __group(n)
  end

  def to_a = (0...size).map { |n| __group(n) }
  def captures = to_a.drop(1)
  def named_captures = names.to_h { |name| [name, self[name]] }
  def values_at(*keys) = keys.map { |k| self[k] }
  def to_s = __group(0)
  def pre_match = @string.byteslice(0, @offsets[0])
  def post_match = @string.byteslice(@offsets[1], @string.bytesize - @offsets[1])
  def __check(n)
    raise IndexError, "index #{n} out of matches" if n < 0 || n >= size
    n
  end

  def begin(key)
    range = __bytes(__check(__index(key)))
    range && @string.byteslice(0, range[0]).size
  end

  def end(key)
    range = __bytes(__check(__index(key)))
    range && @string.byteslice(0, range[1]).size
  end

  def offset(key) = [self.begin(key), self.end(key)]
  def byteoffset(key) = __bytes(__check(__index(key))) || [nil, nil]
  def ==(other) = other.is_a?(MatchData) && string == other.string && regexp == other.regexp && to_a == other.to_a
  alias eql? ==
  def deconstruct = captures
  def deconstruct_keys(keys) = named_captures.transform_keys(&:to_sym)

  def inspect
    parts = [to_s.inspect]
    group_names = {}
    @regexp.instance_variable_get(:@names).each { |name, numbers| numbers.each { |n| group_names[n] = name } }
    (1...size).each do |n|
      value = __group(n)
      parts << "#{group_names[n] || n}:#{value.nil? ? 'nil' : value.inspect}"
    end
    "#<MatchData #{parts.join(' ')}>"
  end

  # [$&, $`, $', $+, $1..$9] for Regexp.__set_last_match.
  def __globals
    groups = to_a
    last = (groups.size - 1).downto(1).map { |n| groups[n] }.find { |g| !g.nil? }
    [groups[0], pre_match, post_match, last] + (1..9).map { |n| groups[n] }
  end

  # The replacement text for `template` (\\0-\\9, \\&, \\`, \\', \\+, \\k<name>, \\\\).
  def __expand(template)
    out = +""
    i = 0
    while i < template.size
      c = template[i]
      if c != "\\" || i + 1 >= template.size
        out << c
        i += 1
        next
      end
      d = template[i + 1]
      i += 2
      case d
      when "0".."9" then out << (self[d.to_i] || "") if d.to_i < size
      when "&" then out << to_s
      when "`" then out << pre_match
      when "'" then out << post_match
      when "+" then out << (__globals[3] || "")
      when "\\" then out << "\\"
      when "k"
        close = template.index(">", i)
        if template[i] == "<" && close
          out << (self[template[(i + 1)...close]] || "")
          i = close + 1
        else
          out << "\\k"
        end
      else
        out << "\\" << d
      end
    end
    out
  end
end

class String
  alias __kobako_aref []
  alias __kobako_slice slice
  alias __kobako_index index
  alias __kobako_sub sub
  alias __kobako_gsub gsub
  alias __kobako_sub! sub!
  alias __kobako_gsub! gsub!
  alias __kobako_split split
  alias __kobako_scan scan if method_defined?(:scan)
  alias __kobako_rindex rindex
  alias __kobako_rpartition rpartition
  alias __kobako_slice! slice!
  alias __kobako_aset []=
  alias __kobako_byteindex byteindex
  alias __kobako_byterindex byterindex

  def =~(other)
    raise TypeError, "wrong argument type String (expected Regexp)" if other.is_a?(String)
    other =~ self
  end

  def __to_regexp(pattern) = pattern.is_a?(Regexp) ? pattern : Regexp.new(pattern.is_a?(String) ? pattern : pattern.to_str)
  def __literal_regexp(pattern) = pattern.is_a?(Regexp) ? pattern : Regexp.new(Regexp.escape(pattern.to_str))

  def match(pattern, pos = 0, &block) = __to_regexp(pattern).match(self, pos, &block)
  def match?(pattern, pos = 0) = __to_regexp(pattern).match?(self, pos)

  # The byte offset just after the character at byte offset `b`.
  def __next_char(b)
    byte = getbyte(b)
    return b + 1 if byte.nil? || byte < 0xc0
    return b + 2 if byte < 0xe0
    return b + 3 if byte < 0xf0
    b + 4
  end

  def scan(pattern, &block)
    re = __literal_regexp(pattern)
    result = []
    pos = 0
    last = nil
    while pos <= bytesize && (m = re.__search(self, pos))
      b, e = m.__bytes(0)
      item = m.size == 1 ? m[0] : m.captures
      last = m
      if block
        Regexp.__set_last_match(m)
        block.call(item)
      else
        result << item
      end
      pos = b == e ? __next_char(e) : e
    end
    Regexp.__set_last_match(last)
    block ? self : result
  end

  def __replace_all(re, once, replacement, block)
    out = +""
    pos = 0
    copied = 0
    last = nil
    while pos <= bytesize && (m = re.__search(self, pos))
      b, e = m.__bytes(0)
      out << byteslice(copied, b - copied)
      out <<
        if replacement.is_a?(Hash)
          replacement[m[0]].to_s
        elsif replacement.nil?
          Regexp.__set_last_match(m)
          block.call(m[0]).to_s
        else
          m.__expand(replacement)
        end
      copied = e
      last = m
      break if once
      pos = b == e ? __next_char(e) : e
    end
    Regexp.__set_last_match(last)
    return nil if last.nil?
    out << byteslice(copied, bytesize - copied)
  end

  def __replacement(args, block)
    raise ArgumentError, "wrong number of arguments (given #{args.size + 1}, expected 1..2)" if args.size > 1
    raise ArgumentError, "wrong number of arguments (given 1, expected 2)" if args.empty? && block.nil?
    return nil if args.empty?
    r = args[0]
    r.is_a?(Hash) ? r : r.to_str
  end

  def sub(pattern, *args, &block)
    return __kobako_sub(pattern, *args, &block) unless pattern.is_a?(Regexp)
    __replace_all(pattern, true, __replacement(args, block), block) || dup
  end

  def gsub(pattern, *args, &block)
    return __kobako_gsub(pattern, *args, &block) unless pattern.is_a?(Regexp)
    return to_enum(:gsub, pattern) if args.empty? && block.nil?
    __replace_all(pattern, false, __replacement(args, block), block) || dup
  end

  def sub!(pattern, *args, &block)
    return __kobako_sub!(pattern, *args, &block) unless pattern.is_a?(Regexp)
    result = __replace_all(pattern, true, __replacement(args, block), block)
    result && replace(result)
  end

  def gsub!(pattern, *args, &block)
    return __kobako_gsub!(pattern, *args, &block) unless pattern.is_a?(Regexp)
    result = __replace_all(pattern, false, __replacement(args, block), block)
    result && replace(result)
  end

  def [](*args)
    return __kobako_aref(*args) unless args[0].is_a?(Regexp)
    m = args[0].match(self)
    m && m[args[1] || 0]
  end

  def slice(*args)
    return __kobako_slice(*args) unless args[0].is_a?(Regexp)
    self[*args]
  end

  def index(pattern, pos = 0)
    return __kobako_index(pattern, pos) unless pattern.is_a?(Regexp)
    m = pattern.match(self, pos)
    m && m.begin(0)
  end

  # The byte offset of the character that ends just before byte offset `b`.
  def __prev_char(b)
    b -= 1
    b -= 1 while b > 0 && (getbyte(b) & 0xc0) == 0x80
    b
  end

  # The last match of `re` that starts at or before byte offset `b`, found
  # by trying an anchored match at each character start going backwards;
  # sets $~.
  def __last_match_from(re, b)
    loop do
      m = re.__search(self, b, true)
      return Regexp.__set_last_match(m) if m
      return Regexp.__set_last_match(nil) if b <= 0
      b = __prev_char(b)
    end
  end

  def rindex(pattern, pos = nil)
    unless pattern.is_a?(Regexp)
      return pos.nil? ? __kobako_rindex(pattern) : __kobako_rindex(pattern, pos)
    end
    len = length
    pos = pos.nil? ? len : pos.to_int
    pos += len if pos < 0
    return Regexp.__set_last_match(nil) if pos < 0
    m = __last_match_from(pattern, self[0, pos].bytesize)
    m && m.begin(0)
  end

  def byteindex(pattern, pos = 0)
    return __kobako_byteindex(pattern, pos) unless pattern.is_a?(Regexp)
    pos += bytesize if pos < 0
    return Regexp.__set_last_match(nil) if pos < 0 || pos > bytesize
    m = Regexp.__set_last_match(pattern.__search(self, pos))
    m && m.byteoffset(0)[0]
  end

  def byterindex(pattern, pos = nil)
    unless pattern.is_a?(Regexp)
      return pos.nil? ? __kobako_byterindex(pattern) : __kobako_byterindex(pattern, pos)
    end
    pos = pos.nil? ? bytesize : pos.to_int
    pos += bytesize if pos < 0
    return Regexp.__set_last_match(nil) if pos < 0
    m = __last_match_from(pattern, pos > bytesize ? bytesize : pos)
    m && m.byteoffset(0)[0]
  end

  def rpartition(pattern)
    return __kobako_rpartition(pattern) unless pattern.is_a?(Regexp)
    m = __last_match_from(pattern, bytesize)
    return ["", "", dup] unless m
    [m.pre_match, m[0], m.post_match]
  end

  def slice!(*args)
    return __kobako_slice!(*args) unless args[0].is_a?(Regexp)
    m = args[0].match(self)
    return nil unless m
    key = args[1] || 0
    text = m[key]
    return nil if text.nil?
    b, e = m.byteoffset(key)
    replace(byteslice(0, b) + byteslice(e, bytesize - e))
    text
  end

  def []=(*args)
    return __kobako_aset(*args) unless args[0].is_a?(Regexp)
    unless args.size == 2 || args.size == 3
      raise ArgumentError, "wrong number of arguments (given #{args.size}, expected 2..3)"
    end
    value = args.last.to_str
    key = args.size == 3 ? args[1] : 0
    m = args[0].match(self)
    raise IndexError, "regexp not matched" unless m
    b, e = m.byteoffset(key)
    raise IndexError, "regexp group #{key} not matched" if b.nil?
    replace(byteslice(0, b) + value + byteslice(e, bytesize - e))
    args.last
  end

  def partition(pattern)
    if pattern.is_a?(Regexp)
      m = pattern.match(self)
      return [dup, "", ""] unless m
      return [m.pre_match, m[0], m.post_match]
    end
    i = __kobako_index(pattern)
    return [dup, "", ""] unless i
    [self[0, i], pattern.dup, self[(i + pattern.size)..]]
  end

  alias __kobako_start_with? start_with?

  def start_with?(*prefixes)
    prefixes.any? do |p|
      if p.is_a?(Regexp)
        m = p.__search(self, 0, true)
        Regexp.__set_last_match(m) if m
        !m.nil?
      else
        __kobako_start_with?(p)
      end
    end
  end

  # CRuby's split for a Regexp pattern (captured groups are included).
  def split(pattern = nil, limit = 0, &block)
    return __kobako_split(pattern, limit, &block) unless pattern.is_a?(Regexp)
    result = __split_regexp(pattern, limit)
    return result unless block
    result.each(&block)
    self
  end

  def __split_regexp(re, limit)
    limit = limit.to_i
    return (empty? ? [] : [dup]) if limit == 1
    result = []
    beg = 0
    start = 0
    fields = 1
    len = bytesize
    while start <= len && (m = re.__search(self, start))
      b, e = m.__bytes(0)
      if b == e && b == beg
        # An empty match where the field starts splits nothing.
        start = __next_char(b)
        next
      end
      result << byteslice(beg, b - beg)
      beg = start = e
      (1...m.size).each do |n|
        range = m.__bytes(n)
        result << byteslice(range[0], range[1] - range[0]) if range
      end
      fields += 1
      break if limit > 0 && limit <= fields
    end
    result << byteslice(beg, len - beg) if len > 0 && (limit != 0 || len > beg)
    result.pop while limit == 0 && !result.empty? && result.last.empty?
    result
  end
end

class Symbol
  def =~(other) = to_s =~ other
  def match(*args, &block) = to_s.match(*args, &block)
  def match?(*args) = to_s.match?(*args)
end
