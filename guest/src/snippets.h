/* Preloaded snippets: compiling source to bytecode once (kobako_compile),
 * and replaying the bytecode before every invocation. */
#ifndef KOBAKO_SNIPPETS_H
#define KOBAKO_SNIPPETS_H

#include <mruby.h>
#include "msgpack_read.h"

void kobako_snippets_init(mrb_state *mrb, struct RClass *kobako);
/* Reads `count` bytecode snippets from `r` and runs each in order; raises
 * Kobako::BytecodeError for bytecode that cannot be loaded. */
void kobako_snippets_replay(mrb_state *mrb, mp_reader *r, size_t count);

#endif
