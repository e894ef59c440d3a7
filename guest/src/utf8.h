/* UTF-8 validation, used to choose between the str and bin wire types. */
#ifndef KOBAKO_UTF8_H
#define KOBAKO_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when `bytes[0..len)` is well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF). */
bool kobako_utf8_valid(const char *bytes, size_t len);

#endif
