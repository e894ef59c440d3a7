# spec: S-01
# expect: sandbox_error NameError
Object.new.instance_eval("File")
