/* Randomness comes from the host (WASI random_get): fixed bytes under the
 * hermetic profile, OS entropy under the permissive one. */
#ifndef KOBAKO_ENTROPY_H
#define KOBAKO_ENTROPY_H

#include <mruby.h>

/* Defines Kobako.__entropy (a fresh 31-bit seed from the host). */
void kobako_entropy_init(mrb_state *mrb, struct RClass *kobako);
/* Reseeds the default Random generator from the host; run at the start of
 * every invocation so the snapshot's seed is never reused. */
void kobako_entropy_reseed(mrb_state *mrb);

#endif
