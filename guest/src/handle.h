/* Kobako::Handle: a guest object standing for one host object. Its id lives
 * in the object's inline struct, out of reach of Ruby code, and there is no
 * way to build one from Ruby. */
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
/* True (and the id) when `value` is a Handle. */
bool kobako_handle_id(mrb_state *mrb, mrb_value value, uint32_t *id);

#endif
