# spec: S-01
# eval compiles in the guest with the guest's own (empty) powers.
# expect: sandbox_error NameError
eval("ENV['HOME']")
