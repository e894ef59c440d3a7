#include "dispatch.h"

#include <stdlib.h>
#include <string.h>
#include <mruby/array.h>
#include <mruby/class.h>
#include <mruby/error.h>
#include <mruby/hash.h>
#include <mruby/proc.h>
#include <mruby/string.h>
#include <mruby/variable.h>

#include "handle.h"
#include "msgpack_read.h"
#include "msgpack_write.h"
#include "runtime.h"
#include "utf8.h"
#include "value_decode.h"
#include "value_encode.h"

/* The host import: takes a call, returns the reply as ptr << 32 | len (the
 * reply buffer comes from kobako_alloc and is ours to free). */
__attribute__((import_module("kobako"), import_name("dispatch")))
extern uint64_t kobako_host_dispatch(const uint8_t *call, uint32_t len);

enum { REPLY_VALUE = 0, REPLY_FAULT = 1, REPLY_BREAK = 2 };

/* The blocks of the dispatches in progress, innermost last, and the value a
 * block's `break` left for its dispatch. Both arrays are GC roots and are
 * unreachable from Ruby code. */
static mrb_value block_stack;
static mrb_value break_values;

/* The instance variable holding a service constant's path. */
static mrb_sym path_ivar;

/* Encodes one part of a call (`framing` as for kobako_encode_value). An
 * object with no wire form is reported (false) when `lenient`, so the caller
 * can send its `to_s` instead; any other failure raises what E-13
 * prescribes. */
static bool encode_arg(mrb_state *mrb, mrb_value value, int framing, wire_buffer *buf, bool lenient) {
  encode_result result = kobako_encode_value(mrb, value, framing, buf);
  if (result.status == ENCODE_OK) {
    return true;
  }
  if (lenient && result.status == ENCODE_NOT_WIRE) {
    return false;
  }
  wire_buffer_free(buf);
  mrb_exc_raise(mrb, kobako_encode_error(mrb, result, "a service call argument", E_TYPE_ERROR,
                                         E_ARGUMENT_ERROR));
}

static int find_non_symbol_key(mrb_state *mrb, mrb_value key, mrb_value val, void *data) {
  (void)mrb;
  (void)val;
  if (!mrb_symbol_p(key)) {
    *(mrb_value *)data = key;
    return 1;
  }
  return 0;
}

/* Refuses, before anything is encoded, a call the wire cannot carry as is
 * (docs/wire.md): the path and the method name are str, so they must be
 * UTF-8, and keyword names are Symbols. */
static void check_call(mrb_state *mrb, mrb_value target, mrb_sym method, mrb_value kwargs) {
  if (mrb_string_p(target) && !kobako_utf8_valid(RSTRING_PTR(target), (size_t)RSTRING_LEN(target))) {
    mrb_raise(mrb, E_ARGUMENT_ERROR, "a service path must be UTF-8");
  }
  mrb_int name_len;
  const char *name = mrb_sym_name_len(mrb, method, &name_len);
  if (name == NULL || !kobako_utf8_valid(name, (size_t)name_len)) {
    mrb_raise(mrb, E_ARGUMENT_ERROR, "a service method name must be UTF-8");
  }
  if (mrb_hash_p(kwargs)) {
    mrb_value key = mrb_symbol_value(method);
    mrb_hash_foreach(mrb, mrb_hash_ptr(kwargs), find_non_symbol_key, &key);
    if (!mrb_symbol_p(key)) {
      mrb_raisef(mrb, E_TYPE_ERROR, "keyword names must be Symbols, not %C", mrb_obj_class(mrb, key));
    }
  }
}

/* Encodes a call; false (when `lenient`) if an argument holds an object
 * with no wire form, leaving `buf` to be freed. */
static bool encode_call(mrb_state *mrb, mrb_value target, mrb_sym method, mrb_value args, mrb_value kwargs,
                        bool has_block, wire_buffer *buf, bool lenient) {
  uint32_t id;
  mp_write_array_header(buf, 5);
  if (mrb_string_p(target)) {
    mp_write_str(buf, RSTRING_PTR(target), (size_t)RSTRING_LEN(target));
  } else if (kobako_handle_id(mrb, target, &id)) {
    encode_arg(mrb, target, 0, buf, false);
  } else {
    wire_buffer_free(buf);
    mrb_raise(mrb, E_TYPE_ERROR, "a service call target must be a service path or a Kobako::Handle");
  }
  mrb_int name_len;
  const char *name = mrb_sym_name_len(mrb, method, &name_len);
  mp_write_str(buf, name, (size_t)name_len);
  if (!encode_arg(mrb, args, 1, buf, lenient)) {
    return false;
  }
  if (mrb_nil_p(kwargs)) {
    mp_write_map_header(buf, 0);
  } else if (!encode_arg(mrb, kwargs, 1, buf, lenient)) {
    return false;
  }
  mp_write_bool(buf, has_block);
  if (wire_buffer_failed(buf)) {
    wire_buffer_free(buf);
    mrb_raise(mrb, E_ARGUMENT_ERROR, "a service call is larger than the 16 MiB message limit");
  }
  return true;
}

/* `value` as Kobako 0.6.1 sends a service argument (Kobako.__as_sent, in
 * guest/ruby/proxies.rb): each object with no wire form becomes its to_s. */
static mrb_value as_sent(mrb_state *mrb, mrb_value value) {
  return mrb_funcall_argv(mrb, mrb_obj_value(kobako_rt.module), mrb_intern_lit(mrb, "__as_sent"), 1, &value);
}

static mrb_noreturn void raise_fault(mrb_state *mrb, mrb_value category, mrb_value message) {
  mrb_value exc = mrb_exc_new_str(mrb, kobako_rt.service_error, message);
  mrb_value details = mrb_hash_new(mrb);
  mrb_hash_set(mrb, details, mrb_str_new_lit(mrb, "type"), category);
  mrb_iv_set(mrb, exc, mrb_intern_lit(mrb, "@__kobako_details"), details);
  mrb_exc_raise(mrb, exc);
}

/* Turns the host's reply into the call's value (or a raised fault). */
static mrb_value read_reply(mrb_state *mrb, uint64_t packed, mrb_value break_value) {
  uint8_t *ptr = (uint8_t *)(uintptr_t)(packed >> 32);
  mp_reader r;
  mp_reader_init(&r, ptr, (size_t)(uint32_t)packed);
  mp_item header;
  mp_item kind;
  mrb_value fields[2] = {mrb_nil_value(), mrb_nil_value()};
  bool ok = mp_read(&r, &header) && header.kind == MP_ARRAY && header.len >= 1 && header.len <= 3 &&
            mp_read(&r, &kind) && kind.kind == MP_INT;
  for (size_t i = 1; ok && i < header.len; i++) {
    ok = kobako_decode_value(mrb, &r, 0, &fields[i - 1]);
  }
  ok = ok && mp_at_end(&r);
  free(ptr);
  if (!ok) {
    mrb_raise(mrb, E_RUNTIME_ERROR, "malformed reply from the host");
  }
  switch (kind.integer) {
    case REPLY_VALUE: return fields[0];
    case REPLY_FAULT: raise_fault(mrb, fields[0], mrb_obj_as_string(mrb, fields[1]));
    case REPLY_BREAK: return break_value;
    default: mrb_raise(mrb, E_RUNTIME_ERROR, "unknown reply kind from the host");
  }
}

/* One call to the service at path `target` (a String) or to the Handle
 * `target`; `kwargs` is nil or a Hash. */
static mrb_value dispatch(mrb_state *mrb, mrb_value target, mrb_sym method, mrb_value args, mrb_value kwargs,
                          mrb_value block) {
  check_call(mrb, target, method, kwargs);
  bool has_block = !mrb_nil_p(block);
  wire_buffer call;
  wire_buffer_init(&call);
  if (!encode_call(mrb, target, method, args, kwargs, has_block, &call, true)) {
    /* The rare call with an object in it: encode again with each object
     * replaced by its to_s (which runs Ruby code, so not while encoding). */
    wire_buffer_free(&call);
    args = as_sent(mrb, args);
    kwargs = mrb_nil_p(kwargs) ? kwargs : as_sent(mrb, kwargs);
    encode_call(mrb, target, method, args, kwargs, has_block, &call, false);
  }

  mrb_int depth = RARRAY_LEN(block_stack);
  if (has_block) {
    mrb_ary_push(mrb, block_stack, block);
    mrb_ary_push(mrb, break_values, mrb_nil_value());
  }
  uint64_t packed = kobako_host_dispatch(call.data, (uint32_t)call.len);
  wire_buffer_free(&call);
  mrb_value break_value = mrb_nil_value();
  if (has_block) {
    break_value = mrb_ary_entry(break_values, depth);
    mrb_ary_resize(mrb, block_stack, depth);
    mrb_ary_resize(mrb, break_values, depth);
  }
  return read_reply(mrb, packed, break_value);
}

/* Kobako.__dispatch(target, method, args, kwargs, block). */
static mrb_value kobako_dispatch_m(mrb_state *mrb, mrb_value self) {
  (void)self;
  mrb_value target, args, kwargs, block;
  mrb_sym method;
  mrb_get_args(mrb, "onAoo", &target, &method, &args, &kwargs, &block);
  if (!mrb_nil_p(kwargs) && !mrb_hash_p(kwargs)) {
    mrb_raise(mrb, E_TYPE_ERROR, "keyword arguments must be a Hash");
  }
  return dispatch(mrb, target, method, args, kwargs, block);
}

/* A forwarded method of a service constant or a Handle: sends the call, by
 * the name it was called with, to the host. */
static mrb_value forwarded_m(mrb_state *mrb, mrb_value self) {
  const mrb_value *argv;
  mrb_int argc;
  mrb_value kwargs = mrb_nil_value();
  mrb_value block;
  const mrb_kwargs rest_only = {0, 0, NULL, NULL, &kwargs};
  mrb_get_args(mrb, "*:&", &argv, &argc, &rest_only, &block);
  mrb_value target = self;
  uint32_t id;
  if (!kobako_handle_id(mrb, self, &id)) {
    target = mrb_iv_get(mrb, self, path_ivar);
  }
  return dispatch(mrb, target, mrb_get_mid(mrb), mrb_ary_new_from_values(mrb, argc, argv), kwargs, block);
}

/* Kobako.__forward(receiver, name): gives `name` a forwarded method where
 * method_missing found none, so later calls by that name in this
 * invocation skip the failed lookup and the Ruby frame (service constants
 * get it on their singleton class, Handles on their class). A frozen
 * receiver keeps going through method_missing. */
static mrb_value kobako_forward_m(mrb_state *mrb, mrb_value self) {
  (void)self;
  mrb_value receiver;
  mrb_sym name;
  mrb_get_args(mrb, "on", &receiver, &name);
  uint32_t id;
  if (kobako_handle_id(mrb, receiver, &id)) {
    if (mrb_frozen_p(kobako_rt.handle_class)) {
      return mrb_nil_value();
    }
    mrb_define_method_id(mrb, kobako_rt.handle_class, name, forwarded_m, MRB_ARGS_ANY());
  } else if (mrb_class_p(receiver) && !mrb_frozen_p(mrb_basic_ptr(receiver))) {
    mrb_define_singleton_method_id(mrb, mrb_obj_ptr(receiver), name, forwarded_m, MRB_ARGS_ANY());
  }
  return mrb_nil_value();
}

/* The block reply for one yield, kept until the next yield. */
static wire_buffer block_reply;

static mrb_value call_message(mrb_state *mrb, void *exc) {
  return mrb_funcall_argv(mrb, *(mrb_value *)exc, mrb_intern_lit(mrb, "message"), 0, NULL);
}

/* Largest exception message a block reply carries. */
#define BLOCK_MESSAGE_MAX ((size_t)65536)

static void reply_raised(mrb_state *mrb, mrb_value exc) {
  const char *klass = mrb_obj_classname(mrb, exc);
  mrb_bool failed;
  mrb_value message = mrb_protect_error(mrb, call_message, &exc, &failed);
  message = (!failed && mrb_string_p(message)) ? message : mrb_str_new_lit(mrb, "");
  wire_buffer_free(&block_reply);
  mp_write_array_header(&block_reply, 3);
  mp_write_int(&block_reply, REPLY_FAULT);
  mp_write_str(&block_reply, klass, strlen(klass));
  size_t len = (size_t)RSTRING_LEN(message);
  mp_write_bin(&block_reply, RSTRING_PTR(message), len > BLOCK_MESSAGE_MAX ? BLOCK_MESSAGE_MAX : len);
}

static mrb_value run_block(mrb_state *mrb, void *data) {
  kobako_request *req = data;
  mrb_int depth = RARRAY_LEN(block_stack);
  if (depth == 0) {
    mrb_raise(mrb, E_LOCALJUMP_ERROR, "no block given (yield)");
  }
  mp_reader r;
  mp_reader_init(&r, req->bytes, req->len);
  mrb_value args;
  if (!kobako_decode_value(mrb, &r, 1, &args) || !mrb_array_p(args) || !mp_at_end(&r)) {
    mrb_raise(mrb, E_ARGUMENT_ERROR, "malformed yield arguments from the host");
  }
  /* A direct yield: `break` and `return` throw to our protect frame (see
   * kobako_yield). */
  mrb_value block = mrb_ary_entry(block_stack, depth - 1);
  mrb_value value = mrb_yield_argv(mrb, block, RARRAY_LEN(args), RARRAY_PTR(args));

  wire_buffer buf;
  wire_buffer_init(&buf);
  mp_write_array_header(&buf, 2);
  mp_write_int(&buf, REPLY_VALUE);
  encode_result result = kobako_encode_value(mrb, value, 0, &buf);
  if (result.status != ENCODE_OK) {
    wire_buffer_free(&buf);
    mrb_exc_raise(mrb, kobako_encode_error(mrb, result, "the block value", E_TYPE_ERROR, E_ARGUMENT_ERROR));
  }
  wire_buffer_free(&block_reply);
  block_reply = buf;
  return mrb_nil_value();
}

/* Whether a jump out of the innermost dispatch's block is its `break`: it
 * returns from the method the block was given to, the frame its home
 * method called. mruby unwinds a `return` through C frames the same way,
 * aimed at the home method itself. */
static mrb_bool breaks_to_receiver(mrb_state *mrb, struct RBreak *brk) {
  mrb_int depth = RARRAY_LEN(block_stack);
  const mrb_callinfo *target = mrb->c->cibase + brk->ci_break_index;
  if (depth == 0 || target <= mrb->c->cibase || target > mrb->c->ci) {
    return FALSE;
  }
  mrb_value block = mrb_ary_entry(block_stack, depth - 1);
  return mrb_proc_p(block) && target[-1].proc == mrb_proc_ptr(block)->upper;
}

/* Runs the innermost dispatch's block with the arguments at `args` (from
 * kobako_alloc; freed here) and returns the block reply: [0, value],
 * [1, class, message] or [2] for `break`. */
__attribute__((export_name("kobako_yield"))) uint64_t kobako_yield(uint8_t *args, uint32_t len) {
  mrb_state *mrb = kobako_rt.mrb;
  int arena = mrb_gc_arena_save(mrb);
  kobako_request req = {args, len};
  mrb_bool failed;
  mrb_value exc = mrb_protect_error(mrb, run_block, &req, &failed);
  free(args);
  if (failed && mrb_break_p(exc) && !breaks_to_receiver(mrb, (struct RBreak *)mrb_obj_ptr(exc))) {
    /* A `return` (or any jump past the method that took the block) would
     * have to unwind through the host: it is a LocalJumpError at the yield. */
    reply_raised(mrb, mrb_exc_new_lit(mrb, E_LOCALJUMP_ERROR, "unexpected return"));
  } else if (failed && mrb_break_p(exc)) {
    mrb_int depth = RARRAY_LEN(break_values);
    if (depth > 0) {
      mrb_ary_set(mrb, break_values, depth - 1, mrb_break_value_get((struct RBreak *)mrb_obj_ptr(exc)));
    }
    wire_buffer_free(&block_reply);
    mp_write_array_header(&block_reply, 1);
    mp_write_int(&block_reply, REPLY_BREAK);
  } else if (failed) {
    reply_raised(mrb, exc);
  }
  mrb_gc_arena_restore(mrb, arena);
  return ((uint64_t)(uintptr_t)block_reply.data << 32) | (uint64_t)block_reply.len;
}

void kobako_dispatch_init(mrb_state *mrb, struct RClass *kobako) {
  block_stack = mrb_ary_new(mrb);
  break_values = mrb_ary_new(mrb);
  mrb_gc_register(mrb, block_stack);
  mrb_gc_register(mrb, break_values);
  path_ivar = mrb_intern_lit(mrb, "@__kobako_path");
  mrb_define_module_function(mrb, kobako, "__dispatch", kobako_dispatch_m, MRB_ARGS_REQ(5));
  mrb_define_module_function(mrb, kobako, "__forward", kobako_forward_m, MRB_ARGS_REQ(2));
}
