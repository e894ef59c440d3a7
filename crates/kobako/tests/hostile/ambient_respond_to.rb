# spec: S-01
# expect: ok
# Backticks exist as a method, which raises NotImplementedError; exit and
# abort raise SystemExit, sleep NotImplementedError, require and load
# LoadError (all guest exceptions).
# value: [:exit, :abort, :sleep, :require, :load, :"`"]
%i[system exec spawn fork exit exit! abort sleep require load open gets syscall `].select { |m| respond_to?(m, true) }
