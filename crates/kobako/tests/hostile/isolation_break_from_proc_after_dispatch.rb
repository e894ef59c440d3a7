# spec: B-24
# A block kept after its dispatch ended, then called again by the guest.
# expect: sandbox_error LocalJumpError
kept = nil
Host::Each.call(1) { |x| kept ||= proc { break x }; nil }
kept.call
