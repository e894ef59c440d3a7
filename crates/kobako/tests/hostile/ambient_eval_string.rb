# spec: S-01
# eval compiles in the guest with the guest's own (empty) powers: ENV is
# empty.
# expect: ok
# value: nil
eval("ENV['HOME']")
