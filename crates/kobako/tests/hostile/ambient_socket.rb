# spec: S-01
# expect: sandbox_error NameError
# host-calls: 0
TCPSocket.new('127.0.0.1', 22)
