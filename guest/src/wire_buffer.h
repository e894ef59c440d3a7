/* A growable byte buffer with a hard size cap, used to build every message
 * the guest sends to the host. */
#ifndef KOBAKO_WIRE_BUFFER_H
#define KOBAKO_WIRE_BUFFER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Largest message either side may send (16 MiB). */
#define KOBAKO_MESSAGE_MAX ((size_t)16 * 1024 * 1024)

/* Most values (each nil, Integer, String, Array, Hash... counts once) the
 * payload of one message may hold, so that decoding it cannot take the
 * host far more memory than the message itself. */
#define KOBAKO_VALUES_MAX ((uint32_t)1 << 20)

typedef struct {
  uint8_t *data;
  size_t len;
  size_t cap;
  uint32_t values;  /* payload values encoded so far (value_encode.c) */
  bool overflow;    /* a write would have passed KOBAKO_MESSAGE_MAX */
  bool out_of_memory;
} wire_buffer;

void wire_buffer_init(wire_buffer *buf);
void wire_buffer_free(wire_buffer *buf);
/* Appends bytes; on overflow or allocation failure sets the flag and drops
 * the write, so callers check `wire_buffer_failed` once at the end. */
void wire_buffer_put(wire_buffer *buf, const void *bytes, size_t n);
bool wire_buffer_failed(const wire_buffer *buf);

#endif
