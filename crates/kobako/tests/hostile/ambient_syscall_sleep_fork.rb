# spec: S-01
# expect: ok
# value: ["NoMethodError", "NoMethodError", "NoMethodError", "NoMethodError"]
[-> { syscall(1) }, -> { sleep(1) }, -> { fork }, -> { gets }].map do |f|
  f.call
rescue NoMethodError => e
  e.class.name
end
