/* The guest's exports, but for kobako_yield (dispatch.c) and
 * kobako_check_bytecode (snippets.c): initialise, allocate, evaluate and
 * take the outcome. Each export catches every Ruby exception (no longjmp
 * may leave an export) and leaves its result as an outcome for
 * kobako_take_outcome. See docs/wire.md. */
#include <stdlib.h>
#include <string.h>
#include <mruby.h>
#include <mruby/array.h>
#include <mruby/compile.h>
#include <mruby/error.h>
#include <mruby/proc.h>
#include <mruby/string.h>
#include <wasi/api.h>

#include "dispatch.h"
#include "entropy.h"
#include "handle.h"
#include "heap_layout.h"
#include "json.h"
#include "regexp.h"
#include "msgpack_read.h"
#include "snippets.h"
#include "value_decode.h"
#include "outcome.h"
#include "output.h"
#include "heap_meter.h"
#include "runtime.h"

/* Bumped whenever an export, import or envelope changes shape. */
#define KOBAKO_ABI_VERSION 1

/* The Ruby half of the runtime (guest/ruby/), in load order: output,
 * entropy, service proxies, JSON, Regexp, CRuby compatibility, then the
 * record of the image's own constants. xtask's sanitizer run loads the
 * same files in the same order (RUNTIME_RUBY in xtask/src/sanitize.rs). */
static const char prelude_source[] = {
#embed "../ruby/io.rb"
    ,
#embed "../ruby/random.rb"
    ,
#embed "../ruby/proxies.rb"
    ,
#embed "../ruby/json.rb"
    ,
#embed "../ruby/regexp.rb"
    ,
#embed "../ruby/compat.rb"
    ,
#embed "../ruby/image_constants.rb"
};

__attribute__((export_name("kobako_abi_version"))) uint32_t kobako_abi_version(void) {
  return KOBAKO_ABI_VERSION;
}

/* Reserves `len` bytes for the host to write a request into; 0 on failure.
 * The export that consumes the request frees it. */
__attribute__((export_name("kobako_alloc"))) void *kobako_alloc(uint32_t len) {
  return malloc(len == 0 ? 1 : len);
}

/* Free heap the image starts with. Growing linear memory costs every
 * invocation that does it a remap and a TLB flush, so the image keeps room
 * for what a typical invocation (or a sandbox's snippets) allocates. The
 * room is zero-filled, so it adds nothing to the image file. */
#define IMAGE_HEAP_HEADROOM ((size_t)256 * 1024)

static void reserve_heap(mrb_state *mrb) {
  /* mrb_malloc, not malloc: the compiler may drop an unused malloc/free
   * pair, and this one must happen. */
  mrb_free(mrb, mrb_malloc(mrb, IMAGE_HEAP_HEADROOM));
}

/* Builds the interpreter the snapshot freezes: mruby, the Kobako module and
 * the Ruby-level runtime in ruby/. Runs once, at build time. */
__attribute__((export_name("kobako_initialize"))) void kobako_initialize(void) {
  mrb_state *mrb = mrb_open();
  if (mrb == NULL) {
    __builtin_trap();
  }
  kobako_rt.mrb = mrb;
  kobako_rt.module = mrb_define_module(mrb, "Kobako");
  kobako_rt.service_error =
      mrb_define_class_under(mrb, kobako_rt.module, "ServiceError", E_RUNTIME_ERROR);
  kobako_rt.sandbox_error =
      mrb_define_class_under(mrb, kobako_rt.module, "SandboxError", mrb->eStandardError_class);
  kobako_output_init(mrb, kobako_rt.module);
  kobako_entropy_init(mrb, kobako_rt.module);
  kobako_handle_init(mrb, kobako_rt.module);
  kobako_dispatch_init(mrb, kobako_rt.module);
  kobako_snippets_init(mrb, kobako_rt.module);
  kobako_json_init(mrb);
  kobako_regexp_init(mrb);
  struct RClass *transport = mrb_define_module_under(mrb, kobako_rt.module, "Transport");
  kobako_rt.transport_error = mrb_define_class_under(mrb, transport, "Error", kobako_rt.sandbox_error);

  mrbc_context *cxt = mrbc_context_new(mrb);
  mrbc_filename(mrb, cxt, "(kobako)");
  mrb_load_nstring_cxt(mrb, prelude_source, sizeof prelude_source, cxt);
  mrbc_context_free(mrb, cxt);
  if (mrb->exc != NULL) {
    /* A broken prelude must fail the build, not ship: say why on fd 2
       (the build prints it), then stop. */
    mrb_value report = mrb_inspect(mrb, mrb_obj_value(mrb->exc));
    __wasi_ciovec_t iov = {(const uint8_t *)RSTRING_PTR(report), (size_t)RSTRING_LEN(report)};
    __wasi_size_t written = 0;
    (void)__wasi_fd_write(2, &iov, 1, &written);
    __builtin_trap();
  }
  mrb_full_gc(mrb);
  kobako_rt.image_white_part = mrb->gc.current_white_part;
  reserve_heap(mrb);
  if (!kobako_heap_pack(mrb)) {
    __builtin_trap(); /* see heap_layout.c: OBJECT_PAGE_ROOM must follow RVALUE */
  }
  kobako_heap_meter_start();
}

enum { REQUEST_EVAL = 0, REQUEST_RUN = 1, REQUEST_BAKE = 2 };

/* Ends a bake with a full collection, and a second one if needed so every
 * live object carries the image's white colour again: pages the bake did
 * not otherwise change then keep the image's bytes. */
static void settle_heap(mrb_state *mrb) {
  mrb_full_gc(mrb);
  if (mrb->gc.current_white_part != kobako_rt.image_white_part) {
    mrb_full_gc(mrb);
  }
}

/* True until snippet replay is over: failures before then are the
 * sandbox's, whatever their class. */
static bool replaying;

/* Reads `[service paths, kind, snippets, payload]`: defines the service
 * constants, replays the snippets, then runs the source ("(eval)"), calls
 * the entrypoint, or (bake) stops there so the host can keep the memory as
 * the starting state of later invocations; records the value. */
static mrb_value run_request(mrb_state *mrb, void *data) {
  kobako_request *req = data;
  mp_reader r;
  mp_reader_init(&r, req->bytes, req->len);
  mp_item header, paths, snippets, kind;
  if (!mp_read(&r, &header) || header.kind != MP_ARRAY || header.len != 4 || !mp_read(&r, &paths) ||
      paths.kind != MP_ARRAY) {
    mrb_raise(mrb, E_ARGUMENT_ERROR, "malformed request from the host");
  }
  mrb_value names = mrb_ary_new_capa(mrb, (mrb_int)paths.len);
  for (size_t i = 0; i < paths.len; i++) {
    mp_item path;
    if (!mp_read(&r, &path) || path.kind != MP_STR) {
      mrb_raise(mrb, E_ARGUMENT_ERROR, "malformed service path from the host");
    }
    mrb_ary_push(mrb, names, mrb_str_new(mrb, path.bytes, (mrb_int)path.len));
  }
  mrb_value kobako = mrb_obj_value(kobako_rt.module);
  if (paths.len > 0) {
    mrb_funcall_argv(mrb, kobako, mrb_intern_lit(mrb, "__bind"), 1, &names);
  }
  if (!mp_read(&r, &kind) || kind.kind != MP_INT) {
    mrb_raise(mrb, E_ARGUMENT_ERROR, "malformed request kind from the host");
  }
  if (!mp_read(&r, &snippets) || snippets.kind != MP_ARRAY) {
    mrb_raise(mrb, E_ARGUMENT_ERROR, "malformed snippet table from the host");
  }
  kobako_entropy_reseed(mrb);
  kobako_snippets_replay(mrb, &r, snippets.len);
  replaying = false;

  mrb_value value;
  if (kind.integer == REQUEST_EVAL) {
    mp_item source;
    if (!mp_read(&r, &source) || source.kind != MP_STR || !mp_at_end(&r)) {
      mrb_raise(mrb, E_ARGUMENT_ERROR, "malformed eval source from the host");
    }
    value = kobako_run_proc(mrb, kobako_parse(mrb, source.bytes, source.len, "(eval)"));
  } else if (kind.integer == REQUEST_RUN) {
    mrb_value call;
    if (!kobako_decode_value(mrb, &r, 2, &call) || !mrb_array_p(call) || RARRAY_LEN(call) != 3 || !mp_at_end(&r)) {
      kobako_raise_with_backtrace(
          mrb, mrb_exc_new_lit(mrb, kobako_rt.transport_error, "the run arguments cannot be decoded"),
          mrb_ary_new(mrb));
    }
    value = mrb_funcall_argv(mrb, kobako, mrb_intern_lit(mrb, "__run_entry"), 3, RARRAY_PTR(call));
  } else if (kind.integer == REQUEST_BAKE) {
    mp_item nothing;
    if (!mp_read(&r, &nothing) || nothing.kind != MP_NIL || !mp_at_end(&r)) {
      mrb_raise(mrb, E_ARGUMENT_ERROR, "malformed bake request from the host");
    }
    settle_heap(mrb);
    value = mrb_nil_value();
  } else {
    mrb_raise(mrb, E_ARGUMENT_ERROR, "unknown request kind from the host");
  }
  kobako_outcome_set_value(mrb, value);
  return mrb_nil_value();
}

/* Runs the request the host placed at `request` (from kobako_alloc; freed
 * here) and records the outcome. Both `eval` and `run` come through here. */
__attribute__((export_name("kobako_eval"))) void kobako_eval(uint8_t *request, uint32_t len) {
  kobako_heap_meter_start();
  replaying = true;
  kobako_export_protected(run_request, request, len, &replaying);
}

/* The outcome of the last export call as (address << 32 | length), or 0 when
 * there is none. The bytes stay valid until the next export call. */
__attribute__((export_name("kobako_take_outcome"))) uint64_t kobako_take_outcome(void) {
  const wire_buffer *out = kobako_outcome_get();
  if (out == NULL) {
    return 0;
  }
  return ((uint64_t)(uintptr_t)out->data << 32) | (uint64_t)out->len;
}
