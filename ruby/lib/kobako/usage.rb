# frozen_string_literal: true

module Kobako
  # Resources one invocation used: wall_time (Float seconds, including time
  # spent in Services) and memory_peak (Integer bytes of growth above the
  # guest's size at entry).
  Usage = Struct.new(:wall_time, :memory_peak, keyword_init: true)

  # The usage reported before any invocation.
  Usage::EMPTY = Usage.new(wall_time: 0.0, memory_peak: 0).freeze
end
