/* Decodes a wire value from the host into an mruby value. */
#ifndef KOBAKO_VALUE_DECODE_H
#define KOBAKO_VALUE_DECODE_H

#include <mruby.h>
#include "msgpack_read.h"

/* Reads one complete value; false (with `*out` untouched) when the bytes
 * are not a well-formed wire value. Handles become Kobako::Handle objects.
 * `framing` is how many outer Array/Hash levels are the message's own
 * envelope (the `[name, args, kwargs]` of a run, the argument list of a
 * yield): they do not count against the nesting limit. */
bool kobako_decode_value(mrb_state *mrb, mp_reader *r, int framing, mrb_value *out);

#endif
