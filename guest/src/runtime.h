/* Process-wide guest state, created once by kobako_initialize and frozen
 * into the snapshot image. */
#ifndef KOBAKO_RUNTIME_H
#define KOBAKO_RUNTIME_H

#include <mruby.h>

typedef struct {
  mrb_state *mrb;
  struct RClass *module;        /* Kobako */
  struct RClass *service_error; /* Kobako::ServiceError */
  struct RClass *sandbox_error; /* Kobako::SandboxError */
} kobako_runtime;

extern kobako_runtime kobako_rt;

#endif
