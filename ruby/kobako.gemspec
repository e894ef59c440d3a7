# frozen_string_literal: true

require_relative "lib/kobako/version"

Gem::Specification.new do |spec|
  spec.name = "kobako"
  spec.version = Kobako::VERSION
  spec.summary = "Run untrusted Ruby (mruby in WebAssembly) in-process; scripts reach the world only through objects you bind."
  spec.description = "A Kobako::Sandbox runs each script in a fresh instance of a pre-initialised " \
                     "mruby 4.0 WebAssembly image inside your process (wasmtime): no files, network, " \
                     "environment or real clock, and caps on time, memory and output. Scripts reach " \
                     "the world only through the service objects you bind."
  spec.authors = ["Kobako contributors"]
  spec.license = "MIT"
  spec.homepage = "https://example.invalid/kobako"
  spec.metadata = {
    "source_code_uri" => "https://example.invalid/kobako",
    "documentation_uri" => "https://example.invalid/kobako/blob/main/README.md"
  }
  spec.required_ruby_version = ">= 3.1"
  spec.files = Dir["lib/**/*.rb", "ext/kobako/extconf.rb", "ext/kobako/vendor/**/*", "README.md"]
                 .reject { |path| path.include?("/target/") }
  spec.require_paths = ["lib"]
  # Builds crates/kobako-ruby with cargo (Rust 1.95 and libclang needed).
  spec.extensions = ["ext/kobako/extconf.rb"]
end
