/* Encodes an mruby value as a wire value (docs/wire.md). The encoder never
 * calls Ruby code and never raises: it reports what went wrong instead, and
 * the caller chooses the exception class. */
#ifndef KOBAKO_VALUE_ENCODE_H
#define KOBAKO_VALUE_ENCODE_H

#include <mruby.h>
#include "wire_buffer.h"

/* Deepest nesting of Arrays and Hashes that may cross; `[1]` is depth 1. */
#define KOBAKO_DEPTH_MAX 128

typedef enum {
  ENCODE_OK = 0,
  ENCODE_NOT_WIRE,        /* an object with no wire form */
  ENCODE_TOO_DEEP,        /* nesting deeper than KOBAKO_DEPTH_MAX (or a cycle) */
  ENCODE_TOO_LARGE,       /* the message would pass 16 MiB */
  ENCODE_TOO_MANY,        /* the message would hold more than KOBAKO_VALUES_MAX values */
  ENCODE_INT_RANGE,       /* an Integer outside the i64 range */
  ENCODE_BAD_SYMBOL,      /* a Symbol whose name is not UTF-8 */
  ENCODE_NO_MEMORY,
} encode_status;

typedef struct {
  encode_status status;
  struct RClass *offender; /* class of the object for ENCODE_NOT_WIRE */
} encode_result;

/* Appends `value` to `buf`. `framing` is how many outer Array/Hash levels
 * are the message's own envelope (a call's argument list or keyword map):
 * they do not count against the nesting limit. */
encode_result kobako_encode_value(mrb_state *mrb, mrb_value value, int framing, wire_buffer *buf);

/* The guest exception that describes a failed encoding of `what` (for
 * example "the result"): `object_class` for ENCODE_NOT_WIRE, RangeError for
 * ENCODE_INT_RANGE, `limit_class` for the other broken limits. */
mrb_value kobako_encode_error(mrb_state *mrb, encode_result result, const char *what,
                              struct RClass *object_class, struct RClass *limit_class);

#endif
