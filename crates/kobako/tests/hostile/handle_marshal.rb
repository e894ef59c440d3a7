# spec: S-04
# There is no Marshal to rebuild an object from bytes.
# expect: sandbox_error NameError
Marshal.load(Marshal.dump(Host::Objects.counter))
