# spec: L-03
# Writes through a reassigned $stdout and STDERR still count toward the caps.
# expect: ok stdout_truncated stderr_truncated
$stdout = STDERR
100.times { puts "q" * 1000 }
$stdout = STDOUT
100.times { $stdout << "r" * 1000 }
nil
