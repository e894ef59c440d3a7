#include "value_decode.h"

#include <stdio.h>
#include <mruby/array.h>
#include <mruby/hash.h>
#include <mruby/string.h>
#include <mruby/internal.h>

#include "handle.h"
#include "msgpack_write.h"
#include "value_encode.h"

/* An i64 that does not fit mrb_int becomes a big integer. */
static mrb_value integer(mrb_state *mrb, int64_t n) {
  if (n >= MRB_INT_MIN && n <= MRB_INT_MAX) {
    return mrb_int_value(mrb, (mrb_int)n);
  }
  /* mrb_bint_new_str reads digits only; a negative base gives the sign. */
  uint64_t magnitude = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;
  char digits[24];
  int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)magnitude);
  return mrb_bint_new_str(mrb, digits, len, n < 0 ? -10 : 10);
}

static bool decode(mrb_state *mrb, mp_reader *r, int depth, mrb_value *out) {
  mp_item item;
  if (!mp_read(r, &item)) {
    return false;
  }
  switch (item.kind) {
    case MP_NIL: *out = mrb_nil_value(); return true;
    case MP_BOOL: *out = mrb_bool_value(item.boolean); return true;
    case MP_INT: *out = integer(mrb, item.integer); return true;
    case MP_FLOAT: *out = mrb_float_value(mrb, item.real); return true;
    case MP_STR: *out = mrb_str_new(mrb, item.bytes, (mrb_int)item.len); return true;
    case MP_BIN:
      /* Bytes arrive as a binary (ASCII-8BIT) String, as CRuby reads them. */
      *out = mrb_str_new(mrb, item.bytes, (mrb_int)item.len);
      mrb_str_ptr(*out)->flags |= MRB_STR_BINARY;
      return true;
    case MP_EXT:
      if (item.ext_type == KOBAKO_EXT_SYMBOL) {
        *out = mrb_symbol_value(mrb_intern(mrb, item.bytes, item.len));
        return true;
      }
      if (item.ext_type == KOBAKO_EXT_HANDLE && item.len == 4) {
        const uint8_t *b = (const uint8_t *)item.bytes;
        uint32_t id = ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
        if (id == 0 || id > KOBAKO_HANDLE_ID_MAX) {
          return false;
        }
        *out = kobako_handle_new(mrb, id);
        return true;
      }
      return false;
    case MP_ARRAY: {
      if (depth >= KOBAKO_DEPTH_MAX) {
        return false;
      }
      mrb_value ary = mrb_ary_new_capa(mrb, (mrb_int)item.len);
      int arena = mrb_gc_arena_save(mrb);
      for (size_t i = 0; i < item.len; i++) {
        mrb_value element;
        if (!decode(mrb, r, depth + 1, &element)) {
          return false;
        }
        mrb_ary_push(mrb, ary, element);
        mrb_gc_arena_restore(mrb, arena);
      }
      *out = ary;
      return true;
    }
    case MP_MAP: {
      if (depth >= KOBAKO_DEPTH_MAX) {
        return false;
      }
      mrb_value hash = mrb_hash_new_capa(mrb, (mrb_int)item.len);
      int arena = mrb_gc_arena_save(mrb);
      for (size_t i = 0; i < item.len; i++) {
        mrb_value key;
        mrb_value val;
        if (!decode(mrb, r, depth + 1, &key)) {
          return false;
        }
        mrb_gc_protect(mrb, key);
        if (!decode(mrb, r, depth + 1, &val)) {
          return false;
        }
        mrb_hash_set(mrb, hash, key, val);
        mrb_gc_arena_restore(mrb, arena);
      }
      *out = hash;
      return true;
    }
  }
  return false;
}

bool kobako_decode_value(mrb_state *mrb, mp_reader *r, int framing, mrb_value *out) {
  return decode(mrb, r, -framing, out);
}
