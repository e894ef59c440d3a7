# frozen_string_literal: true

# Builds the native extension with cargo when the gem is installed, and
# copies it to lib/kobako/kobako_ruby.so. The crates come from the gem's
# vendor/ folder (made by `rake gem`), or from the repository checkout.
require "fileutils"
require "rbconfig"

here = __dir__
vendored = File.join(here, "vendor", "kobako-ruby")
crate = File.directory?(vendored) ? vendored : File.expand_path("../../../crates/kobako-ruby", here)
own_target = !ENV.key?("CARGO_TARGET_DIR")
target = ENV.fetch("CARGO_TARGET_DIR", File.join(here, "target"))
# RubyGems hides this script's output unless asked (`gem install --verbose`),
# so say on stderr, which it shows, what is about to take long.
warn "kobako: compiling the native extension with cargo (release build of wasmtime; " \
     "10-20 minutes on two cores the first time)"
ok = system("cargo", "build", "--release", "--locked", "--manifest-path", File.join(crate, "Cargo.toml"),
            "--target-dir", target)
abort "kobako: cargo build failed (Rust 1.95 and libclang-dev are needed)" unless ok

built = File.join(target, "release", "libkobako_ruby.so")
destination = File.expand_path("../../lib/kobako/kobako_ruby.#{RbConfig::CONFIG['DLEXT']}", here)
FileUtils.cp(built, destination)
# The build tree (several hundred MB) is not part of the installed gem.
FileUtils.rm_rf(target) if own_target

# RubyGems runs `make` and `make install` after this script; the work is done.
File.write("Makefile", "all:\n\t@true\ninstall:\n\t@true\nclean:\n\t@true\n")
