# spec: S-01
# expect: sandbox_error SystemExit
abort "bye"
