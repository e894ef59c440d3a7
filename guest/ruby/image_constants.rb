# Loaded last, after every other file of the runtime.

# The constants of the image itself (a Hash, for a fast lookup): `run` only
# calls constants the snippets defined.
Kobako.instance_variable_set(:@__kobako_builtin, Object.constants.each_with_object({}) { |c, set| set[c] = true }.freeze)
