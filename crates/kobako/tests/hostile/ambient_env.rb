# spec: S-01
# ENV exists and is empty.
# expect: ok
# value: nil
# host-calls: 0
ENV['HOME']
