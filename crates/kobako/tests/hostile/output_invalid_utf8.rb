# spec: B-04
# Output bytes are kept as written, valid UTF-8 or not.
# expect: ok
# stdout: \xff\xfe\x00ok\n
$stdout.write("\xff\xfe\x00")
puts "ok"
