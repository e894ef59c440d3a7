# spec: L-04
# 4,000 references to one Array of 4,000 nils: a few KiB of guest memory,
# a 16 MB message, and 512 MB if the host decoded it. The guest refuses it
# at 1,048,576 values.
# expect: sandbox_error Kobako::SandboxError
# message: the result holds more than 1048576 values
a = [nil] * 4000
[a] * 4000
