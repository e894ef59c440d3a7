# mruby build configuration for the Kobako guest.
#
# Two builds: a host `mrbc` (gcc) that compiles mruby's own Ruby sources to
# C, and the wasm32-wasi cross build that produces `libmruby.a` for the guest.
# Driven by `cargo xtask guest`, which passes the shared compiler flags and
# defines in KOBAKO_WASM_CFLAGS and KOBAKO_MRUBY_DEFINES.

require_relative 'mruby_gems'

wasm_flags = ENV.fetch('KOBAKO_WASM_CFLAGS').split
mruby_defines = ENV.fetch('KOBAKO_MRUBY_DEFINES').split

MRuby::Build.new('host') do |conf|
  conf.toolchain :gcc
  conf.gem core: 'mruby-compiler'
  conf.gem core: 'mruby-bin-mrbc'
end

MRuby::CrossBuild.new('wasm') do |conf|
  conf.toolchain :clang

  conf.cc do |cc|
    cc.command = 'clang-22'
    cc.flags = wasm_flags
    cc.defines = mruby_defines
  end
  conf.linker.command = 'clang-22'
  conf.archiver.command = 'llvm-ar-22'

  KOBAKO_GEMS.each { |name| conf.gem core: name }
end
