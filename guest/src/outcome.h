/* The invocation outcome: the one message the guest leaves for the host at
 * the end of an export call (docs/wire.md, "Outcome"). */
#ifndef KOBAKO_OUTCOME_H
#define KOBAKO_OUTCOME_H

#include <mruby.h>
#include "wire_buffer.h"

/* Discards any previous outcome. */
void kobako_outcome_reset(void);
/* Records `value` as the successful result; raises (for the caller's
 * protect frame to catch) when it cannot cross. */
void kobako_outcome_set_value(mrb_state *mrb, mrb_value value);
/* Records an unrescued exception; `sandbox_origin` forces the origin to
 * "sandbox" (failures during snippet replay). Never raises. */
void kobako_outcome_set_exception(mrb_state *mrb, mrb_value exc, bool sandbox_origin);
/* The finished outcome, or NULL when none was recorded. */
const wire_buffer *kobako_outcome_get(void);

#endif
