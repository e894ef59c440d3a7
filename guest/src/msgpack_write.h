/* MessagePack writers for the handful of forms the wire uses. Each picks the
 * smallest encoding, as docs/wire.md prescribes. */
#ifndef KOBAKO_MSGPACK_WRITE_H
#define KOBAKO_MSGPACK_WRITE_H

#include "wire_buffer.h"

/* Extension type codes (docs/wire.md). */
#define KOBAKO_EXT_SYMBOL 0x00
#define KOBAKO_EXT_HANDLE 0x01

void mp_write_nil(wire_buffer *buf);
void mp_write_bool(wire_buffer *buf, bool value);
void mp_write_int(wire_buffer *buf, int64_t value);
void mp_write_float(wire_buffer *buf, double value);
void mp_write_str(wire_buffer *buf, const char *bytes, size_t len);
void mp_write_bin(wire_buffer *buf, const char *bytes, size_t len);
void mp_write_ext(wire_buffer *buf, int8_t type, const char *bytes, size_t len);
void mp_write_array_header(wire_buffer *buf, uint32_t count);
void mp_write_map_header(wire_buffer *buf, uint32_t count);

#endif
