# spec: S-03
# With the Kobako constant gone, proxies cannot forward at all; the runtime
# still reports the failure.
# expect: sandbox_error NameError
# host-calls: 0
Object.send(:remove_const, :Kobako)
Host::Echo.call(1)
