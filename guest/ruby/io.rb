# Output: IO (the class of $stdout and $stderr) and Kernel's printing
# methods. Everything a script prints goes through Kobako.__write
# (src/output.c), which writes to WASI fd 1 or 2; the host captures both.

# The class of $stdout/STDOUT and $stderr/STDERR: the writing half of IO,
# on the two streams the host captures. There is nothing to read and no
# file to open.
class IO
  def initialize(fd, mode = "r", name: nil)
    raise ArgumentError, "kobako IO only supports fd 1 and 2" unless fd == 1 || fd == 2
    raise ArgumentError, "kobako IO only supports mode \"w\"" unless mode == "w"

    @fd = fd
    @name = name || "fd #{fd}"
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
  def inspect = "#<IO:#{@name}>"

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

STDOUT = IO.new(1, "w", name: "<STDOUT>")
STDERR = IO.new(2, "w", name: "<STDERR>")
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
