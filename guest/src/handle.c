#include "handle.h"

#include <mruby/class.h>
#include <mruby/data.h>
#include <mruby/error.h>
#include <mruby/proc.h>

#include "runtime.h"

/* The tag every Handle carries. Only this file knows its address, so an
 * object that Ruby code builds (allocate bound to the class, a copied
 * class, ...) never has it, and is never encoded as a Handle. */
static const mrb_data_type handle_type = {"Kobako::Handle", NULL};

/* Class#allocate as mruby defines it; Kobako's replacement wraps it. */
static mrb_func_t class_allocate;

/* True when instances of `c` would be Handles: Kobako::Handle itself or a
 * class that inherits from it (all of which keep its instance type). */
static bool handle_family(struct RClass *c) {
  if (MRB_INSTANCE_TT(c) != MRB_TT_CDATA) {
    return false;
  }
  for (; c != NULL; c = c->super) {
    if (c == kobako_rt.handle_class) {
      return true;
    }
  }
  return false;
}

/* Class#allocate, refusing the Handle family. Class#new allocates
 * through a method call to `allocate`, so this covers it as well, however
 * the method is reached (bind_call, define_method, a subclass). */
static mrb_value class_allocate_m(mrb_state *mrb, mrb_value self) {
  if (mrb_class_p(self) && handle_family(mrb_class_ptr(self))) {
    mrb_no_method_error(mrb, mrb_intern_lit(mrb, "allocate"), mrb_nil_value(),
                        "undefined method 'allocate' for %v", self);
  }
  return class_allocate(mrb, self);
}

/* Handle#initialize_copy: what Kernel#dup and #clone run on the fresh copy.
 * The copy names the same host object and is frozen like the original. */
static mrb_value handle_initialize_copy(mrb_state *mrb, mrb_value self) {
  mrb_value orig = mrb_get_arg1(mrb);
  uint32_t id;
  if (mrb_obj_equal(mrb, self, orig)) {
    return self;
  }
  mrb_check_frozen(mrb, mrb_basic_ptr(self));
  if (!mrb_data_p(self) || mrb_obj_class(mrb, self) != kobako_rt.handle_class ||
      !kobako_handle_id(mrb, orig, &id)) {
    mrb_raise(mrb, E_TYPE_ERROR, "initialize_copy should take a Kobako::Handle");
  }
  mrb_data_init(self, (void *)(uintptr_t)id, &handle_type);
  mrb_basic_ptr(self)->frozen = 1;
  return self;
}

void kobako_handle_init(mrb_state *mrb, struct RClass *kobako) {
  struct RClass *handle = mrb_define_class_under(mrb, kobako, "Handle", mrb->object_class);
  MRB_SET_INSTANCE_TT(handle, MRB_TT_CDATA);
  mrb_undef_class_method(mrb, handle, "new");
  mrb_undef_class_method(mrb, handle, "allocate");
  mrb_define_method(mrb, handle, "initialize_copy", handle_initialize_copy, MRB_ARGS_REQ(1));
  kobako_rt.handle_class = handle;

  struct RClass *klass = mrb->class_class;
  mrb_method_t allocate = mrb_method_search(mrb, klass, mrb_intern_lit(mrb, "allocate"));
  class_allocate = MRB_METHOD_CFUNC(allocate);
  if (class_allocate == NULL) {
    __builtin_trap(); /* mruby changed how Class#allocate is defined */
  }
  mrb_define_method(mrb, klass, "allocate", class_allocate_m, MRB_ARGS_NONE());
}

mrb_value kobako_handle_new(mrb_state *mrb, uint32_t id) {
  struct RData *obj =
      mrb_data_object_alloc(mrb, kobako_rt.handle_class, (void *)(uintptr_t)id, &handle_type);
  obj->frozen = 1;
  return mrb_obj_value(obj);
}

bool kobako_handle_id(mrb_state *mrb, mrb_value value, uint32_t *id) {
  (void)mrb;
  if (!mrb_data_p(value) || DATA_TYPE(value) != &handle_type || !mrb_frozen_p(mrb_basic_ptr(value))) {
    return false;
  }
  *id = (uint32_t)(uintptr_t)DATA_PTR(value);
  return *id >= 1 && *id <= KOBAKO_HANDLE_ID_MAX;
}
