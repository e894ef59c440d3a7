# spec: E-07
# SystemExit is an ordinary guest exception here: the invocation fails, the
# host process stays.
# expect: sandbox_error SystemExit
raise SystemExit
