# spec: S-01
# Looking the classes up by name finds nothing either.
# expect: ok
# value: []
%i[File IO Dir ENV Process Socket Marshal Signal].select { |name| Object.const_defined?(name) }
