/* Guest calls to Services and Handles (Kobako.__dispatch), and the
 * kobako_yield export through which a service runs the call's block. */
#ifndef KOBAKO_DISPATCH_H
#define KOBAKO_DISPATCH_H

#include <mruby.h>

void kobako_dispatch_init(mrb_state *mrb, struct RClass *kobako);

#endif
