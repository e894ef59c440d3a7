# spec: E-04
# A loop with no method call in its body: only the back-edge check can stop it.
# expect: timeout
i = 0
i += 1 until false
