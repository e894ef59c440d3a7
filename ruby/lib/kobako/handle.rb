# frozen_string_literal: true

module Kobako
  # The guest's stand-in for a host object. Host code never receives one:
  # Handles coming back from the guest are replaced by their objects, and
  # no public API makes one from an integer.
  class Handle
    private_class_method :new, :allocate
  end
end
