#include "msgpack_write.h"

#include <string.h>

static void put_u8(wire_buffer *buf, uint8_t b) { wire_buffer_put(buf, &b, 1); }

static void put_be(wire_buffer *buf, uint64_t value, int width) {
  uint8_t bytes[8];
  for (int i = 0; i < width; i++) {
    bytes[i] = (uint8_t)(value >> (8 * (width - 1 - i)));
  }
  wire_buffer_put(buf, bytes, (size_t)width);
}

/* Writes a marker followed by a length in the smallest of three widths. */
static void put_sized(wire_buffer *buf, size_t len, uint8_t m8, uint8_t m16, uint8_t m32) {
  if (len <= 0xff && m8 != 0) {
    put_u8(buf, m8);
    put_be(buf, len, 1);
  } else if (len <= 0xffff) {
    put_u8(buf, m16);
    put_be(buf, len, 2);
  } else if (len <= 0xffffffffu) {
    put_u8(buf, m32);
    put_be(buf, len, 4);
  } else {
    buf->overflow = true;
  }
}

void mp_write_nil(wire_buffer *buf) { put_u8(buf, 0xc0); }

void mp_write_bool(wire_buffer *buf, bool value) { put_u8(buf, value ? 0xc3 : 0xc2); }

void mp_write_int(wire_buffer *buf, int64_t value) {
  if (value >= 0) {
    uint64_t u = (uint64_t)value;
    if (u < 0x80) {
      put_u8(buf, (uint8_t)u);
    } else if (u <= 0xff) {
      put_u8(buf, 0xcc);
      put_be(buf, u, 1);
    } else if (u <= 0xffff) {
      put_u8(buf, 0xcd);
      put_be(buf, u, 2);
    } else if (u <= 0xffffffffu) {
      put_u8(buf, 0xce);
      put_be(buf, u, 4);
    } else {
      put_u8(buf, 0xcf);
      put_be(buf, u, 8);
    }
  } else if (value >= -32) {
    put_u8(buf, (uint8_t)(int8_t)value);
  } else if (value >= INT8_MIN) {
    put_u8(buf, 0xd0);
    put_be(buf, (uint64_t)value, 1);
  } else if (value >= INT16_MIN) {
    put_u8(buf, 0xd1);
    put_be(buf, (uint64_t)value, 2);
  } else if (value >= INT32_MIN) {
    put_u8(buf, 0xd2);
    put_be(buf, (uint64_t)value, 4);
  } else {
    put_u8(buf, 0xd3);
    put_be(buf, (uint64_t)value, 8);
  }
}

void mp_write_float(wire_buffer *buf, double value) {
  uint64_t bits;
  memcpy(&bits, &value, sizeof bits);
  put_u8(buf, 0xcb);
  put_be(buf, bits, 8);
}

void mp_write_str(wire_buffer *buf, const char *bytes, size_t len) {
  if (len < 32) {
    put_u8(buf, (uint8_t)(0xa0 | len));
  } else {
    put_sized(buf, len, 0xd9, 0xda, 0xdb);
  }
  wire_buffer_put(buf, bytes, len);
}

void mp_write_bin(wire_buffer *buf, const char *bytes, size_t len) {
  put_sized(buf, len, 0xc4, 0xc5, 0xc6);
  wire_buffer_put(buf, bytes, len);
}

void mp_write_ext(wire_buffer *buf, int8_t type, const char *bytes, size_t len) {
  switch (len) {
    case 1: put_u8(buf, 0xd4); break;
    case 2: put_u8(buf, 0xd5); break;
    case 4: put_u8(buf, 0xd6); break;
    case 8: put_u8(buf, 0xd7); break;
    case 16: put_u8(buf, 0xd8); break;
    default: put_sized(buf, len, 0xc7, 0xc8, 0xc9); break;
  }
  put_u8(buf, (uint8_t)type);
  wire_buffer_put(buf, bytes, len);
}

void mp_write_array_header(wire_buffer *buf, uint32_t count) {
  if (count < 16) {
    put_u8(buf, (uint8_t)(0x90 | count));
  } else {
    put_sized(buf, count, 0, 0xdc, 0xdd);
  }
}

void mp_write_map_header(wire_buffer *buf, uint32_t count) {
  if (count < 16) {
    put_u8(buf, (uint8_t)(0x80 | count));
  } else {
    put_sized(buf, count, 0, 0xde, 0xdf);
  }
}
