# spec: S-01
# expect: ok
# value: ["NoMethodError", "NotImplementedError", "NameError", "NameError"]
[-> { syscall(1) }, -> { sleep(1) }, -> { fork }, -> { gets }].map do |f|
  f.call
rescue NameError, NotImplementedError => e
  e.class.name
end
