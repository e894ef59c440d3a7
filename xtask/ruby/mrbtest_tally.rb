# Loaded after mruby's test/assert.rb by `cargo xtask conformance`, in the
# sandbox and natively. Prints one line per top-level assertion as it ends,
# so a file that aborts still reports the assertions that ran before the
# abort. Each line is tab-separated: KOBAKO-ASSERT, how much each of
# $ok_test, $ko_test, $kill_test, $warning_test and $skip_test grew, whether
# the assertion returned (1) or an exception escaped it (0), its name, then
# the first line of each message it added to $asserts. It calls no String
# method that the guest implements with Regexp (test/t/codegen.rb removes
# the Regexp constant).

$kobako_tally_depth = 0

alias __kobako_tally_assert assert

def assert(str = 'assert', iso = '', &block)
  return __kobako_tally_assert(str, iso, &block) if $kobako_tally_depth > 0

  before = [$ok_test, $ko_test, $kill_test, $warning_test, $skip_test]
  seen = $asserts.size
  returned = 0
  $kobako_tally_depth += 1
  begin
    result = __kobako_tally_assert(str, iso, &block)
    returned = 1
    result
  ensure
    $kobako_tally_depth -= 1
    after = [$ok_test, $ko_test, $kill_test, $warning_test, $skip_test]
    fields = ["KOBAKO-ASSERT"]
    5.times { |i| fields << (after[i] - before[i]).to_s }
    fields << returned.to_s
    name = iso.to_s.empty? ? str.to_s : "#{str} [#{iso}]"
    fields << name.tr("\t\n", "  ")
    added = $asserts.is_a?(Array) && $asserts[seen..-1]
    (added || []).each do |message|
      fields << message.to_s.tr("\t\n", " \x1e")
    end
    print "\n", fields.join("\t"), "\n"
  end
end
