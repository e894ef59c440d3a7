# spec: S-01
# expect: sandbox_error NoMethodError
system("touch /tmp/kobako-hostile-pwned")
