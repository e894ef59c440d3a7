# spec: S-01
# exit raises SystemExit in the guest; nothing leaves the sandbox.
# expect: sandbox_error SystemExit
exit 1
