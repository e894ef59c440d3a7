#include "msgpack_read.h"

#include <string.h>

void mp_reader_init(mp_reader *r, const void *data, size_t len) {
  r->data = data;
  r->len = len;
  r->pos = 0;
}

bool mp_at_end(const mp_reader *r) { return r->pos == r->len; }

static bool take(mp_reader *r, size_t n, const uint8_t **out) {
  if (n > r->len - r->pos) {
    return false;
  }
  *out = r->data + r->pos;
  r->pos += n;
  return true;
}

static bool be(mp_reader *r, int width, uint64_t *out) {
  const uint8_t *p;
  if (!take(r, (size_t)width, &p)) {
    return false;
  }
  uint64_t v = 0;
  for (int i = 0; i < width; i++) {
    v = (v << 8) | p[i];
  }
  *out = v;
  return true;
}

static bool payload(mp_reader *r, mp_item *item, size_t len) {
  const uint8_t *p;
  if (!take(r, len, &p)) {
    return false;
  }
  item->bytes = (const char *)p;
  item->len = len;
  return true;
}

/* A count of items that each take at least one byte: never more than the
 * bytes left. */
static bool count(mp_reader *r, mp_item *item, uint64_t n) {
  if (n > r->len - r->pos) {
    return false;
  }
  item->len = (size_t)n;
  return true;
}

bool mp_read(mp_reader *r, mp_item *item) {
  const uint8_t *m;
  uint64_t n;
  memset(item, 0, sizeof *item);
  if (!take(r, 1, &m)) {
    return false;
  }
  uint8_t b = *m;
  if (b <= 0x7f) { item->kind = MP_INT; item->integer = b; return true; }
  if (b >= 0xe0) { item->kind = MP_INT; item->integer = (int8_t)b; return true; }
  if ((b & 0xf0) == 0x80) { item->kind = MP_MAP; return count(r, item, b & 0x0f); }
  if ((b & 0xf0) == 0x90) { item->kind = MP_ARRAY; return count(r, item, b & 0x0f); }
  if ((b & 0xe0) == 0xa0) { item->kind = MP_STR; return payload(r, item, b & 0x1f); }
  switch (b) {
    case 0xc0: item->kind = MP_NIL; return true;
    case 0xc2: item->kind = MP_BOOL; item->boolean = false; return true;
    case 0xc3: item->kind = MP_BOOL; item->boolean = true; return true;
    case 0xc4: case 0xc5: case 0xc6:
      item->kind = MP_BIN;
      return be(r, 1 << (b - 0xc4), &n) && payload(r, item, (size_t)n);
    case 0xd9: case 0xda: case 0xdb:
      item->kind = MP_STR;
      return be(r, 1 << (b - 0xd9), &n) && payload(r, item, (size_t)n);
    case 0xca: {
      item->kind = MP_FLOAT;
      if (!be(r, 4, &n)) return false;
      uint32_t bits = (uint32_t)n;
      float f;
      memcpy(&f, &bits, sizeof f);
      item->real = f;
      return true;
    }
    case 0xcb:
      item->kind = MP_FLOAT;
      if (!be(r, 8, &n)) return false;
      memcpy(&item->real, &n, sizeof item->real);
      return true;
    case 0xcc: case 0xcd: case 0xce: case 0xcf:
      item->kind = MP_INT;
      if (!be(r, 1 << (b - 0xcc), &n) || n > (uint64_t)INT64_MAX) return false;
      item->integer = (int64_t)n;
      return true;
    case 0xd0: item->kind = MP_INT; if (!be(r, 1, &n)) return false; item->integer = (int8_t)n; return true;
    case 0xd1: item->kind = MP_INT; if (!be(r, 2, &n)) return false; item->integer = (int16_t)n; return true;
    case 0xd2: item->kind = MP_INT; if (!be(r, 4, &n)) return false; item->integer = (int32_t)n; return true;
    case 0xd3: item->kind = MP_INT; if (!be(r, 8, &n)) return false; item->integer = (int64_t)n; return true;
    case 0xdc: case 0xdd:
      item->kind = MP_ARRAY;
      return be(r, b == 0xdc ? 2 : 4, &n) && count(r, item, n);
    case 0xde: case 0xdf:
      item->kind = MP_MAP;
      return be(r, b == 0xde ? 2 : 4, &n) && count(r, item, n);
    case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8: {
      uint64_t type;
      item->kind = MP_EXT;
      if (!be(r, 1, &type)) return false;
      item->ext_type = (int8_t)type;
      return payload(r, item, (size_t)1 << (b - 0xd4));
    }
    case 0xc7: case 0xc8: case 0xc9: {
      uint64_t type;
      item->kind = MP_EXT;
      if (!be(r, 1 << (b - 0xc7), &n) || !be(r, 1, &type)) return false;
      item->ext_type = (int8_t)type;
      return payload(r, item, (size_t)n);
    }
    default:
      return false;
  }
}
