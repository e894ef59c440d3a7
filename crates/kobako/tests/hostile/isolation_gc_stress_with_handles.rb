# spec: S-09
# Handles survive garbage collection inside the invocation.
# expect: ok
# value: 100
handles = Array.new(100) { Host::Objects.counter }
GC.start
handles.sum(&:incr)
