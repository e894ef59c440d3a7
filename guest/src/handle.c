#include "handle.h"

#include <string.h>
#include <mruby/class.h>
#include <mruby/istruct.h>

#include "runtime.h"

void kobako_handle_init(mrb_state *mrb, struct RClass *kobako) {
  struct RClass *handle = mrb_define_class_under(mrb, kobako, "Handle", mrb->object_class);
  MRB_SET_INSTANCE_TT(handle, MRB_TT_ISTRUCT);
  mrb_undef_class_method(mrb, handle, "new");
  mrb_undef_class_method(mrb, handle, "allocate");
  kobako_rt.handle_class = handle;
}

mrb_value kobako_handle_new(mrb_state *mrb, uint32_t id) {
  struct RIStruct *obj = (struct RIStruct *)mrb_obj_alloc(mrb, MRB_TT_ISTRUCT, kobako_rt.handle_class);
  memcpy(obj->inline_data, &id, sizeof id);
  MRB_SET_FROZEN_FLAG(obj);
  return mrb_obj_value(obj);
}

bool kobako_handle_id(mrb_state *mrb, mrb_value value, uint32_t *id) {
  if (!mrb_istruct_p(value) || !mrb_obj_is_kind_of(mrb, value, kobako_rt.handle_class)) {
    return false;
  }
  memcpy(id, mrb_istruct_ptr(value), sizeof *id);
  return *id >= 1 && *id <= KOBAKO_HANDLE_ID_MAX;
}
