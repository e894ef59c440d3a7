/* Decodes a wire value from the host into an mruby value. */
#ifndef KOBAKO_VALUE_DECODE_H
#define KOBAKO_VALUE_DECODE_H

#include <mruby.h>
#include "msgpack_read.h"

/* Reads one complete value; false (with `*out` untouched) when the bytes
 * are not a well-formed wire value. Handles become Kobako::Handle objects. */
bool kobako_decode_value(mrb_state *mrb, mp_reader *r, mrb_value *out);

#endif
