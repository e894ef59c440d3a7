# The mrbgems compiled into the guest, and into the native mruby that the
# benchmarks compare it with. The allowlist: nothing here can reach files,
# sockets, directories, processes or sleep. Output goes through the guest's
# own Kernel/IO surface.
KOBAKO_GEMS = %w[
  mruby-compiler
  mruby-array-ext mruby-hash-ext mruby-string-ext mruby-numeric-ext
  mruby-range-ext mruby-proc-ext mruby-symbol-ext mruby-object-ext
  mruby-enum-ext mruby-compar-ext mruby-kernel-ext mruby-class-ext
  mruby-toplevel-ext mruby-enum-chain
  mruby-sprintf mruby-pack mruby-struct mruby-data mruby-set
  mruby-enumerator mruby-enum-lazy mruby-fiber mruby-error
  mruby-math mruby-rational mruby-complex mruby-bigint
  mruby-objectspace mruby-catch mruby-method mruby-metaprog mruby-eval
  mruby-time mruby-strftime mruby-random mruby-encoding mruby-binding
].freeze
