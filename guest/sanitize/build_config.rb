# mruby for `cargo xtask sanitize`: the guest's sources, gems and defines,
# built natively for 32-bit x86 (the guest's pointer and integer sizes) with
# AddressSanitizer, so a memory error in mruby or the glue is reported where
# it happens instead of corrupting the sandbox's heap unseen.

require_relative '../mruby_gems'

MRuby::Build.new('host') do |conf|
  conf.toolchain :gcc
  conf.cc.defines += ENV.fetch('KOBAKO_MRUBY_DEFINES').split
  conf.cc.flags += %w[-m32 -g -O1 -fno-omit-frame-pointer -fsanitize=address]
  conf.linker.flags += %w[-m32 -fsanitize=address]
  KOBAKO_GEMS.each { |name| conf.gem core: name }
end
