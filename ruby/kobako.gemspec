# frozen_string_literal: true

require_relative "lib/kobako/version"

Gem::Specification.new do |spec|
  spec.name = "kobako"
  spec.version = Kobako::VERSION
  spec.summary = "Run untrusted Ruby (mruby in WebAssembly) in-process; scripts reach the world only through objects you bind."
  spec.authors = ["Kobako contributors"]
  spec.license = "MIT"
  spec.required_ruby_version = ">= 3.1"
  spec.files = Dir["lib/**/*.rb", "ext/kobako/extconf.rb", "ext/kobako/vendor/**/*", "README.md"]
                 .reject { |path| path.include?("/target/") }
  spec.require_paths = ["lib"]
  # Builds crates/kobako-ruby with cargo (Rust 1.95 and libclang needed).
  spec.extensions = ["ext/kobako/extconf.rb"]
end
