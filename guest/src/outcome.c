#include "outcome.h"

#include <stdlib.h>
#include <string.h>
#include <mruby/array.h>
#include <mruby/error.h>
#include <mruby/hash.h>
#include <mruby/string.h>
#include <mruby/variable.h>

#include "msgpack_write.h"
#include "runtime.h"
#include "utf8.h"
#include "value_encode.h"

/* Bounds on the failure record, so that a hostile exception (a huge message
 * or backtrace) still yields a readable outcome. Clipping is marked. */
#define MESSAGE_MAX ((size_t)1024 * 1024)
#define BACKTRACE_LINES_MAX 1000
#define BACKTRACE_LINE_MAX ((size_t)4096)
/* Longest `inspect` of a result that cannot cross that a failure carries. */
#define INSPECT_MAX ((size_t)65536)

enum { OUTCOME_VALUE = 0, OUTCOME_FAILURE = 1 };

static wire_buffer outcome;
static bool outcome_set;

void kobako_outcome_reset(void) {
  wire_buffer_free(&outcome);
  outcome_set = false;
}

const wire_buffer *kobako_outcome_get(void) {
  return outcome_set && !wire_buffer_failed(&outcome) ? &outcome : NULL;
}

static mrb_value call_inspect(mrb_state *mrb, void *data) {
  return mrb_inspect(mrb, *(mrb_value *)data);
}

/* Attaches the result's own `inspect` (clipped) to the error that refuses
 * it, as details["inspect"], so a front end can still show it; nothing is
 * attached when `inspect` itself fails. */
static void attach_inspect(mrb_state *mrb, mrb_value exc, mrb_value value) {
  mrb_bool failed;
  mrb_value text = mrb_protect_error(mrb, call_inspect, &value, &failed);
  if (failed || !mrb_string_p(text)) {
    return;
  }
  if ((size_t)RSTRING_LEN(text) > INSPECT_MAX) {
    text = mrb_str_cat_lit(mrb, mrb_str_substr(mrb, text, 0, (mrb_int)INSPECT_MAX), "... (clipped)");
  }
  mrb_value details = mrb_hash_new(mrb);
  mrb_hash_set(mrb, details, mrb_str_new_lit(mrb, "inspect"), text);
  mrb_iv_set(mrb, exc, mrb_intern_lit(mrb, "@__kobako_details"), details);
}

void kobako_outcome_set_value(mrb_state *mrb, mrb_value value) {
  wire_buffer buf;
  wire_buffer_init(&buf);
  mp_write_array_header(&buf, 2);
  mp_write_int(&buf, OUTCOME_VALUE);
  encode_result result = kobako_encode_value(mrb, value, 0, &buf);
  if (result.status != ENCODE_OK) {
    wire_buffer_free(&buf);
    mrb_value exc = kobako_encode_error(mrb, result, "the result", kobako_rt.sandbox_error,
                                        kobako_rt.sandbox_error);
    if (result.status == ENCODE_NOT_WIRE) {
      attach_inspect(mrb, exc, value);
    }
    kobako_raise_with_backtrace(mrb, exc, mrb_ary_new(mrb));
  }
  kobako_outcome_reset();
  outcome = buf;
  outcome_set = true;
}

/* Writes text as str when it is UTF-8 and bin otherwise, clipped to `max`
 * bytes with a visible marker. */
static void write_text(wire_buffer *buf, const char *ptr, size_t len, size_t max) {
  static const char marker[] = "... (clipped)";
  if (len > max) {
    size_t keep = max - (sizeof marker - 1);
    char *clipped = malloc(max);
    if (clipped == NULL) {
      mp_write_str(buf, marker, sizeof marker - 1);
      return;
    }
    memcpy(clipped, ptr, keep);
    memcpy(clipped + keep, marker, sizeof marker - 1);
    write_text(buf, clipped, max, max);
    free(clipped);
    return;
  }
  if (kobako_utf8_valid(ptr, len)) {
    mp_write_str(buf, ptr, len);
  } else {
    mp_write_bin(buf, ptr, len);
  }
}

/* Frames of the runtime's own Ruby code ("(kobako):LINE") are not the
 * script's business and are left out of backtraces. */
static bool is_script_frame(mrb_value line) {
  static const char runtime[] = "(kobako)";
  return mrb_string_p(line) &&
         !(RSTRING_LEN(line) >= (mrb_int)(sizeof runtime - 1) &&
           memcmp(RSTRING_PTR(line), runtime, sizeof runtime - 1) == 0);
}

static mrb_value call_message(mrb_state *mrb, void *exc) {
  return mrb_funcall_argv(mrb, *(mrb_value *)exc, mrb_intern_lit(mrb, "message"), 0, NULL);
}

static mrb_value call_backtrace(mrb_state *mrb, void *exc) {
  return mrb_funcall_argv(mrb, *(mrb_value *)exc, mrb_intern_lit(mrb, "backtrace"), 0, NULL);
}

void kobako_outcome_set_exception(mrb_state *mrb, mrb_value exc, bool sandbox_origin) {
  int arena = mrb_gc_arena_save(mrb);
  wire_buffer buf;
  wire_buffer_init(&buf);
  mp_write_array_header(&buf, 6);
  mp_write_int(&buf, OUTCOME_FAILURE);

  bool from_service = !sandbox_origin && mrb_obj_is_kind_of(mrb, exc, kobako_rt.service_error);
  const char *origin = from_service ? "service" : "sandbox";
  mp_write_str(&buf, origin, strlen(origin));

  const char *klass = mrb_obj_classname(mrb, exc);
  write_text(&buf, klass, strlen(klass), BACKTRACE_LINE_MAX);

  mrb_bool failed;
  mrb_value message = mrb_protect_error(mrb, call_message, &exc, &failed);
  if (failed || !mrb_string_p(message)) {
    message = mrb_str_new_lit(mrb, "");
  }
  write_text(&buf, RSTRING_PTR(message), (size_t)RSTRING_LEN(message), MESSAGE_MAX);

  mrb_value backtrace = mrb_protect_error(mrb, call_backtrace, &exc, &failed);
  mrb_int lines = (!failed && mrb_array_p(backtrace)) ? RARRAY_LEN(backtrace) : 0;
  if (lines > BACKTRACE_LINES_MAX) {
    lines = BACKTRACE_LINES_MAX;
  }
  mrb_int shown = 0;
  for (mrb_int i = 0; i < lines; i++) {
    shown += is_script_frame(RARRAY_PTR(backtrace)[i]);
  }
  mp_write_array_header(&buf, (uint32_t)shown);
  for (mrb_int i = 0; i < lines; i++) {
    mrb_value line = RARRAY_PTR(backtrace)[i];
    if (is_script_frame(line)) {
      write_text(&buf, RSTRING_PTR(line), (size_t)RSTRING_LEN(line), BACKTRACE_LINE_MAX);
    }
  }
  /* details: structured data the runtime attached to the exception (a
   * service fault's category, the entrypoints that exist) */
  mrb_value details = mrb_iv_get(mrb, exc, mrb_intern_lit(mrb, "@__kobako_details"));
  size_t before = buf.len;
  if (kobako_encode_value(mrb, details, 0, &buf).status != ENCODE_OK) {
    buf.len = before;
    buf.overflow = false;
    mp_write_nil(&buf);
  }
  kobako_outcome_reset();
  outcome = buf;
  outcome_set = true;
  mrb_gc_arena_restore(mrb, arena);
}
