# spec: E-23
# A target path that is not UTF-8 names nothing; the guest should refuse it
# or the host answer `undefined`, not a wire violation (E-06).
# expect: service_error undefined | sandbox_error ArgumentError | sandbox_error TypeError
# host-calls: 0
Kobako.__dispatch("\xff::\xfe", :call, [], {}, nil)
