# Native mruby for the benchmarks' baseline: the same sources, gems and
# defines as the guest, built for the host with mruby's own gcc settings,
# plus the `mruby` command to run scripts (mruby 4's core has `print` and
# `p` for reporting results). Driven by
# `cargo xtask native-mruby`, which passes the defines in
# KOBAKO_MRUBY_DEFINES.

require_relative 'mruby_gems'

MRuby::Build.new('host') do |conf|
  conf.toolchain :gcc
  conf.cc.defines += ENV.fetch('KOBAKO_MRUBY_DEFINES').split
  KOBAKO_GEMS.each { |name| conf.gem core: name }
  conf.gem core: 'mruby-bin-mruby'
end
