# What mruby's C test driver (mrbgems/mruby-test/driver.c) defines for the
# suite, written in Ruby for `cargo xtask conformance`.

def t_print(*args) = print(*args)

module Mrbtest
  FLOAT_TOLERANCE = 1e-10
end

# Glob match with `*`, `?`, `[set]`, `{a,b}` and `\` escapes, like the
# driver's `_str_match?`.
def _str_match?(pattern, string)
  __kobako_expand_braces(pattern).any? { |alternative| __kobako_glob(alternative, string, 0, 0) }
end

def __kobako_expand_braces(pattern)
  open = pattern.index("{")
  return [pattern] unless open
  depth = 0
  close = open
  while close < pattern.size
    depth += 1 if pattern[close] == "{"
    depth -= 1 if pattern[close] == "}"
    break if depth == 0
    close += 1
  end
  return [pattern] if close >= pattern.size
  parts = [+""]
  depth = 0
  pattern[(open + 1)...close].each_char do |c|
    if c == "," && depth == 0
      parts << +""
    else
      depth += 1 if c == "{"
      depth -= 1 if c == "}"
      parts[-1] << c
    end
  end
  head = pattern[0...open]
  tail = pattern[(close + 1)..-1]
  parts.flat_map { |part| __kobako_expand_braces(head + part + tail) }
end

def __kobako_glob(pattern, string, pi, si)
  while pi < pattern.size
    c = pattern[pi]
    if c == "*"
      return true if pi + 1 == pattern.size
      (si..string.size).each { |k| return true if __kobako_glob(pattern, string, pi + 1, k) }
      return false
    elsif c == "?"
      return false if si >= string.size
    elsif c == "["
      close = pattern.index("]", pi + 1)
      return false unless close && si < string.size
      set = pattern[(pi + 1)...close]
      negate = set.start_with?("!", "^")
      set = set[1..-1] if negate
      ch = string[si]
      hit = false
      k = 0
      while k < set.size
        if set[k + 1] == "-" && k + 2 < set.size
          hit ||= set[k] <= ch && ch <= set[k + 2]
          k += 3
        else
          hit ||= set[k] == ch
          k += 1
        end
      end
      return false if hit == negate
      pi = close
    else
      pi += 1 if c == "\\"
      return false unless string[si] == pattern[pi]
    end
    pi += 1
    si += 1
  end
  si == string.size
end
