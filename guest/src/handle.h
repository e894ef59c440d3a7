/* Kobako::Handle: a guest object standing for one host object. It is a
 * frozen C-data object whose type tag only handle.c knows and whose id lives
 * in its data pointer, out of reach of Ruby code; Class#allocate refuses the
 * class (and any subclass), so there is no way to build one from Ruby. */
#ifndef KOBAKO_HANDLE_H
#define KOBAKO_HANDLE_H

#include <stdbool.h>
#include <stdint.h>
#include <mruby.h>

/* Largest id the host issues. */
#define KOBAKO_HANDLE_ID_MAX 0x7fffffffu

void kobako_handle_init(mrb_state *mrb, struct RClass *kobako);
/* A frozen Handle for `id` (1..KOBAKO_HANDLE_ID_MAX). */
mrb_value kobako_handle_new(mrb_state *mrb, uint32_t id);
/* True (and the id) when `value` is a Handle: tagged by handle.c, frozen,
 * and holding an id in range. */
bool kobako_handle_id(mrb_state *mrb, mrb_value value, uint32_t *id);

#endif
