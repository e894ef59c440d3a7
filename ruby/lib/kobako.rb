# frozen_string_literal: true

# Kobako runs untrusted Ruby (mruby compiled to WebAssembly) inside this
# process. The script reaches the world only through the Ruby objects you
# bind as Services; its time, memory and output are capped.
module Kobako
end

require_relative "kobako/version"
require_relative "kobako/errors"
require_relative "kobako/usage"
require_relative "kobako/handle"
require_relative "kobako/dispatcher"
require_relative "kobako/kobako_ruby"
require_relative "kobako/namespace"
require_relative "kobako/invocation"
require_relative "kobako/extension"
require_relative "kobako/sandbox"
require_relative "kobako/pool"
