# frozen_string_literal: true

require "test_helper"

# Runs every Ruby example of the README's "Ruby" section; a line ending in
# `# => VALUE` must evaluate to VALUE.
class ReadmeTest < Minitest::Test
  README = File.expand_path("../../README.md", __dir__)
  SECTION = File.read(README)[/^## Ruby\n(.*?)^## /m, 1]
  EXAMPLES = SECTION.scan(/^```ruby\n(.*?)^```\n/m).map(&:first)

  # Turns `EXPR # => VALUE` lines into checks; other lines run as they are.
  def self.checked(example)
    example.lines.map do |line|
      code, expected = line.split(/\s# => /, 2)
      next line unless expected

      "__readme_check__.call((#{code.strip}), (#{expected.strip}), #{line.strip.inspect})\n"
    end.join
  end

  EXAMPLES.each_with_index do |example, index|
    title = example[/^(?:sandbox\.)?(\w+)/, 1]
    define_method("test_readme_example_#{index + 1}_#{title}") do
      TOPLEVEL_BINDING.eval("proc { |__readme_check__| #{self.class.checked(example)} }", README)
                      .call(method(:readme_check))
    end
  end

  def test_readme_has_examples
    assert_operator EXAMPLES.size, :>=, 4
  end

  private

  def readme_check(actual, expected, line)
    assert_equal expected, actual, line
  end
end
