#include "utf8.h"

#include <stdint.h>

bool kobako_utf8_valid(const char *bytes, size_t len) {
  const uint8_t *s = (const uint8_t *)bytes;
  size_t i = 0;
  while (i < len) {
    uint8_t c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t need;
    uint32_t min;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      need = 1; min = 0x80; cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      need = 2; min = 0x800; cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      need = 3; min = 0x10000; cp = c & 0x07;
    } else {
      return false;
    }
    if (need > len - i - 1) {
      return false;
    }
    for (size_t k = 1; k <= need; k++) {
      uint8_t cc = s[i + k];
      if ((cc & 0xc0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += need + 1;
  }
  return true;
}
