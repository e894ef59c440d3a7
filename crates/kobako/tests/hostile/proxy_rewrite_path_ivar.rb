# spec: S-03
# Rewriting the path a bound proxy carries.
# expect: service_error undefined
# message: Admin::Root
# host-calls: 0
Host::Echo.instance_variable_set(:@__kobako_path, "Admin::Root")
Host::Echo.delete_everything
