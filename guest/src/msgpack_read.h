/* A bounds-checked MessagePack reader for host messages. Every length is
 * checked against the bytes that remain; nothing is read past the end. */
#ifndef KOBAKO_MSGPACK_READ_H
#define KOBAKO_MSGPACK_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  const uint8_t *data;
  size_t len;
  size_t pos;
} mp_reader;

typedef enum {
  MP_NIL, MP_BOOL, MP_INT, MP_FLOAT, MP_STR, MP_BIN, MP_ARRAY, MP_MAP, MP_EXT,
} mp_kind;

/* One decoded item header. For STR/BIN/EXT, `bytes`/`len` point into the
 * message; for ARRAY/MAP, `len` is the element (pair) count. */
typedef struct {
  mp_kind kind;
  bool boolean;
  int64_t integer;
  double real;
  const char *bytes;
  size_t len;
  int8_t ext_type;
} mp_item;

void mp_reader_init(mp_reader *r, const void *data, size_t len);
/* Reads the next item header; false on a malformed or truncated message. */
bool mp_read(mp_reader *r, mp_item *item);
bool mp_at_end(const mp_reader *r);

#endif
