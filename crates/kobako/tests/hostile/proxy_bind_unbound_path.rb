# spec: S-03
# The runtime's own binder, called by the script with a path the host never
# registered: the new constant names nothing the host knows (E-23).
# expect: service_error undefined
# message: Admin::Shell
# host-calls: 0
Kobako.__bind(["Admin::Shell"])
Admin::Shell.run("rm -rf /")
