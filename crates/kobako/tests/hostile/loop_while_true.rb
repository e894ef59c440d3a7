# spec: E-04
# expect: timeout
while true
end
