# spec: S-01
# expect: sandbox_error NoMethodError
require "socket"
