#include "wire_buffer.h"

#include <stdlib.h>
#include <string.h>

void wire_buffer_init(wire_buffer *buf) {
  buf->data = NULL;
  buf->len = 0;
  buf->cap = 0;
  buf->values = 0;
  buf->overflow = false;
  buf->out_of_memory = false;
}

void wire_buffer_free(wire_buffer *buf) {
  free(buf->data);
  wire_buffer_init(buf);
}

void wire_buffer_put(wire_buffer *buf, const void *bytes, size_t n) {
  if (wire_buffer_failed(buf)) {
    return;
  }
  if (n > KOBAKO_MESSAGE_MAX - buf->len) {
    buf->overflow = true;
    return;
  }
  size_t need = buf->len + n;
  if (need > buf->cap) {
    size_t cap = buf->cap ? buf->cap : 256;
    while (cap < need) {
      cap *= 2;
    }
    if (cap > KOBAKO_MESSAGE_MAX) {
      cap = KOBAKO_MESSAGE_MAX;
    }
    uint8_t *grown = realloc(buf->data, cap);
    if (grown == NULL) {
      buf->out_of_memory = true;
      return;
    }
    buf->data = grown;
    buf->cap = cap;
  }
  memcpy(buf->data + buf->len, bytes, n);
  buf->len = need;
}

bool wire_buffer_failed(const wire_buffer *buf) {
  return buf->overflow || buf->out_of_memory;
}
