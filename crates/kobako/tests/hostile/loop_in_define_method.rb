# spec: E-04
# expect: timeout
Object.define_method(:spin) { while true; end }
spin
