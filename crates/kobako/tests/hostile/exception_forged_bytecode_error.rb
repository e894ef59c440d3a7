# spec: T-02
# T-02 narrows by class name: a script can dress up as a BytecodeError.
# expect: sandbox_error Kobako::BytecodeError
raise Kobako::BytecodeError, "forged"
