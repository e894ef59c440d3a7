#include "value_encode.h"

#include <mruby/array.h>
#include <mruby/hash.h>
#include <mruby/string.h>
#include <mruby/class.h>
#include <mruby/error.h>
#include <mruby/variable.h>
#include <bigint.h> /* mruby-bigint internals: the limb layout */

#include "handle.h"
#include "msgpack_write.h"
#include "utf8.h"

typedef struct {
  mrb_state *mrb;
  wire_buffer *buf;
  encode_result result;
} encoder;

static bool encode(encoder *enc, mrb_value value, int depth);

static bool fail(encoder *enc, encode_status status, struct RClass *offender) {
  enc->result.status = status;
  enc->result.offender = offender;
  return false;
}

/* Reads a big integer's magnitude directly from its limbs; true when it
 * fits in an i64. */
static bool bigint_to_i64(mrb_value value, int64_t *out) {
  struct RBigint *big = RBIGINT(value);
  const mp_limb *limbs = RBIGINT_ARY(big);
  size_t used = RBIGINT_SIZE(big);
  while (used > 0 && limbs[used - 1] == 0) {
    used--;
  }
  uint64_t magnitude = 0;
  size_t limb_bits = sizeof(mp_limb) * 8;
  if (used * limb_bits > 64) {
    return false;
  }
  for (size_t i = used; i > 0; i--) {
    magnitude = (limb_bits == 64 ? 0 : magnitude << limb_bits) | limbs[i - 1];
  }
  if (RBIGINT_SIGN(big) < 0) {
    if (magnitude > (uint64_t)INT64_MAX + 1) {
      return false;
    }
    *out = (int64_t)(0 - magnitude);
  } else {
    if (magnitude > (uint64_t)INT64_MAX) {
      return false;
    }
    *out = (int64_t)magnitude;
  }
  return true;
}

typedef struct {
  encoder *enc;
  int depth;
  bool ok;
} hash_walk;

static int encode_pair(mrb_state *mrb, mrb_value key, mrb_value val, void *data) {
  (void)mrb;
  hash_walk *walk = data;
  if (!encode(walk->enc, key, walk->depth) || !encode(walk->enc, val, walk->depth)) {
    walk->ok = false;
    return 1;
  }
  return 0;
}

static bool encode(encoder *enc, mrb_value value, int depth) {
  mrb_state *mrb = enc->mrb;
  wire_buffer *buf = enc->buf;
  if (buf->values >= KOBAKO_VALUES_MAX) {
    return fail(enc, ENCODE_TOO_MANY, NULL);
  }
  buf->values++;
  switch (mrb_type(value)) {
    case MRB_TT_FALSE:
      if (mrb_nil_p(value)) {
        mp_write_nil(buf);
      } else {
        mp_write_bool(buf, false);
      }
      break;
    case MRB_TT_TRUE:
      mp_write_bool(buf, true);
      break;
    case MRB_TT_INTEGER:
      mp_write_int(buf, (int64_t)mrb_integer(value));
      break;
    case MRB_TT_BIGINT: {
      int64_t n;
      if (!bigint_to_i64(value, &n)) {
        return fail(enc, ENCODE_INT_RANGE, NULL);
      }
      mp_write_int(buf, n);
      break;
    }
    case MRB_TT_FLOAT:
      mp_write_float(buf, (double)mrb_float(value));
      break;
    case MRB_TT_STRING: {
      const char *ptr = RSTRING_PTR(value);
      size_t len = (size_t)RSTRING_LEN(value);
      /* A binary (ASCII-8BIT) String crosses as bytes even when they
         happen to be valid UTF-8. */
      if (!RSTR_BINARY_P(mrb_str_ptr(value)) && kobako_utf8_valid(ptr, len)) {
        mp_write_str(buf, ptr, len);
      } else {
        mp_write_bin(buf, ptr, len);
      }
      break;
    }
    case MRB_TT_SYMBOL: {
      mrb_int len;
      const char *name = mrb_sym_name_len(mrb, mrb_symbol(value), &len);
      if (name == NULL || !kobako_utf8_valid(name, (size_t)len)) {
        return fail(enc, ENCODE_BAD_SYMBOL, NULL);
      }
      mp_write_ext(buf, KOBAKO_EXT_SYMBOL, name, (size_t)len);
      break;
    }
    case MRB_TT_ARRAY: {
      if (depth >= KOBAKO_DEPTH_MAX) {
        return fail(enc, ENCODE_TOO_DEEP, NULL);
      }
      mrb_int len = RARRAY_LEN(value);
      mp_write_array_header(buf, (uint32_t)len);
      /* Re-read the length each step: encoding runs no Ruby code, but stay
       * correct even if that ever changes. */
      for (mrb_int i = 0; i < len && i < RARRAY_LEN(value); i++) {
        if (!encode(enc, RARRAY_PTR(value)[i], depth + 1)) {
          return false;
        }
        if (wire_buffer_failed(buf)) {
          break;
        }
      }
      break;
    }
    case MRB_TT_HASH: {
      if (depth >= KOBAKO_DEPTH_MAX) {
        return fail(enc, ENCODE_TOO_DEEP, NULL);
      }
      mp_write_map_header(buf, (uint32_t)mrb_hash_size(mrb, value));
      hash_walk walk = {enc, depth + 1, true};
      mrb_hash_foreach(mrb, mrb_hash_ptr(value), encode_pair, &walk);
      if (!walk.ok) {
        return false;
      }
      break;
    }
    case MRB_TT_CDATA: {
      uint32_t id;
      if (!kobako_handle_id(mrb, value, &id)) {
        return fail(enc, ENCODE_NOT_WIRE, mrb_obj_class(mrb, value));
      }
      const char payload[4] = {(char)(id >> 24), (char)(id >> 16), (char)(id >> 8), (char)id};
      mp_write_ext(buf, KOBAKO_EXT_HANDLE, payload, sizeof payload);
      break;
    }
    default:
      return fail(enc, ENCODE_NOT_WIRE, mrb_obj_class(mrb, value));
  }
  if (buf->overflow) {
    return fail(enc, ENCODE_TOO_LARGE, NULL);
  }
  if (buf->out_of_memory) {
    return fail(enc, ENCODE_NO_MEMORY, NULL);
  }
  return true;
}

encode_result kobako_encode_value(mrb_state *mrb, mrb_value value, int framing, wire_buffer *buf) {
  encoder enc = {mrb, buf, {ENCODE_OK, NULL}};
  encode(&enc, value, -framing);
  return enc.result;
}

mrb_value kobako_encode_error(mrb_state *mrb, encode_result result, const char *what,
                              struct RClass *object_class, struct RClass *limit_class) {
  switch (result.status) {
    case ENCODE_NOT_WIRE:
      return mrb_exc_new_str(mrb, object_class,
                             mrb_format(mrb, "%C is not a supported sandbox value type: %s cannot cross the sandbox boundary",
                                        result.offender, what));
    case ENCODE_TOO_DEEP:
      return mrb_exc_new_str(mrb, limit_class,
                             mrb_format(mrb, "%s is nested deeper than %d levels (or is cyclic)", what,
                                        KOBAKO_DEPTH_MAX));
    case ENCODE_TOO_LARGE:
      return mrb_exc_new_str(mrb, limit_class,
                             mrb_format(mrb, "%s is larger than the 16 MiB message limit", what));
    case ENCODE_TOO_MANY:
      return mrb_exc_new_str(mrb, limit_class,
                             mrb_format(mrb, "%s holds more than %d values (the most one message may carry)",
                                        what, (int)KOBAKO_VALUES_MAX));
    case ENCODE_INT_RANGE:
      return mrb_exc_new_str(mrb, E_RANGE_ERROR,
                             mrb_format(mrb,
                                        "%s holds an Integer outside the 64-bit range "
                                        "(-9223372036854775808..9223372036854775807)",
                                        what));
    case ENCODE_BAD_SYMBOL:
      return mrb_exc_new_str(mrb, limit_class,
                             mrb_format(mrb, "%s holds a Symbol whose name is not UTF-8", what));
    case ENCODE_NO_MEMORY:
      return mrb_exc_new_lit(mrb, mrb_exc_get_id(mrb, mrb_intern_lit(mrb, "NoMemoryError")),
                             "out of memory while encoding a wire value");
    case ENCODE_OK:
      break;
  }
  return mrb_exc_new_lit(mrb, E_RUNTIME_ERROR, "internal error: encoding reported success");
}
