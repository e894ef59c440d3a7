# spec: E-07
# expect: sandbox_error Exception
raise Exception, "top of the hierarchy"
