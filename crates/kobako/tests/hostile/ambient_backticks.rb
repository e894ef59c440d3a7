# spec: S-01
# mruby parses backticks and raises at run time.
# expect: sandbox_error NotImplementedError | sandbox_error NoMethodError
`touch /tmp/kobako-hostile-pwned`
