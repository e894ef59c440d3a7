# spec: S-01
# expect: ok
# Backticks exist as a method, which raises NotImplementedError.
# value: [:"`"]
%i[system exec spawn fork exit exit! abort sleep require load open gets syscall `].select { |m| respond_to?(m, true) }
