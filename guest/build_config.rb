# mruby build configuration for the Kobako guest.
#
# Two builds: a host `mrbc` (gcc) that compiles mruby's own Ruby sources to
# C, and the wasm32-wasi cross build that produces `libmruby.a` for the guest.
# Driven by `cargo xtask guest`, which passes the shared compiler flags and
# defines in KOBAKO_WASM_CFLAGS and KOBAKO_MRUBY_DEFINES.

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

  # The allowlist: nothing here can reach files, sockets, directories,
  # processes or sleep. Output goes through the guest's own Kernel/IO surface.
  %w[
    mruby-compiler
    mruby-array-ext mruby-hash-ext mruby-string-ext mruby-numeric-ext
    mruby-range-ext mruby-proc-ext mruby-symbol-ext mruby-object-ext
    mruby-enum-ext mruby-compar-ext mruby-kernel-ext mruby-class-ext
    mruby-toplevel-ext mruby-enum-chain
    mruby-sprintf mruby-pack mruby-struct mruby-data mruby-set
    mruby-enumerator mruby-enum-lazy mruby-fiber mruby-error
    mruby-math mruby-rational mruby-complex mruby-bigint
    mruby-objectspace mruby-catch mruby-method mruby-metaprog mruby-eval
    mruby-time mruby-random
  ].each { |name| conf.gem core: name }
end
