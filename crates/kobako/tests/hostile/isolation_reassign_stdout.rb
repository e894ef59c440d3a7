# spec: S-07
# expect: ok
# then: [$stdout.class.name, $stdout.fileno, STDOUT.fileno]
# then-expect: ok
# then-value: ["IO", 1, 1]
$stdout = Object.new
STDOUT.instance_variable_set(:@fd, 2)
nil
