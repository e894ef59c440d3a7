# spec: E-07
# mruby has no SystemExit class.
# expect: sandbox_error NameError
raise SystemExit
