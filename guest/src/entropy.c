#include "entropy.h"

#include <stdint.h>
#include <wasi/api.h>

static mrb_int host_seed(mrb_state *mrb) {
  uint32_t seed = 0;
  __wasi_errno_t err = __wasi_random_get((uint8_t *)&seed, sizeof seed);
  if (err != 0) {
    mrb_raisef(mrb, E_RUNTIME_ERROR, "the host refused entropy (errno %d)", (int)err);
  }
  return (mrb_int)(seed & 0x7fffffff);
}

static mrb_value kobako_entropy(mrb_state *mrb, mrb_value self) {
  (void)self;
  return mrb_int_value(mrb, host_seed(mrb));
}

void kobako_entropy_init(mrb_state *mrb, struct RClass *kobako) {
  mrb_define_module_function(mrb, kobako, "__entropy", kobako_entropy, MRB_ARGS_NONE());
}

void kobako_entropy_reseed(mrb_state *mrb) {
  mrb_value seed = mrb_int_value(mrb, host_seed(mrb));
  mrb_funcall_argv(mrb, mrb_obj_value(mrb->kernel_module), mrb_intern_lit(mrb, "srand"), 1, &seed);
}
