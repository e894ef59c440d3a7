# spec: T-02
# expect: sandbox_error Kobako::Transport::Error
raise Kobako::Transport::Error, "forged"
