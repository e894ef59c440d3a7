# spec: B-13
# expect: ok
# value: "\xFF\u0000\xFE"
# host-calls: 1
Host::Echo.call("\xff\x00\xfe")
