# spec: S-01
# expect: sandbox_error LoadError
require "socket"
