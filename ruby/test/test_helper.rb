# frozen_string_literal: true

require "minitest/autorun"
require "kobako"

# Helpers shared by the test files; each test names the spec rule it checks.
module KobakoTestHelpers
  # A key-value service with keyword arguments, blocks and object results.
  class KV
    attr_reader :calls

    def initialize
      @data = {}
      @calls = []
    end

    def get(key, *rest, ttl: nil)
      @calls << [:get, key, rest, ttl]
      @data.fetch(key, rest.first)
    end

    def put(key, value)
      @data[key] = value
    end

    def each_item(*items)
      return :no_block unless block_given?

      items.each { |item| yield item }
      :done
    end
  end

  def sandbox(**options)
    Kobako::Sandbox.new(**options)
  end

  # A Sandbox with +object+ bound at NS::Member.
  def sandbox_with(object, path = "S::Obj", **options)
    namespace, member = path.split("::")
    box = sandbox(**options)
    box.define(namespace).bind(member, object)
    box
  end

  # A default Sandbox whose Handle ids start at +first_id+ (the test hook
  # that reaches the id cap quickly).
  def sandbox_near_the_handle_cap(first_id)
    defaults = { timeout: 60.0, memory_limit: 1 << 20, stdout_limit: 1 << 20, stderr_limit: 1 << 20,
                 wasm_path: nil, profile: :hermetic }
    Kobako::Sandbox.send(:build, defaults, first_id)
  end

  # The Service error category of +error+.
  def category(error)
    error.details && error.details["type"]
  end
end

Minitest::Test.include(KobakoTestHelpers)
