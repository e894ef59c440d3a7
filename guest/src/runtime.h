/* Process-wide guest state, created once by kobako_initialize and frozen
 * into the snapshot image. */
#ifndef KOBAKO_RUNTIME_H
#define KOBAKO_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mruby.h>
#include <mruby/error.h>

typedef struct {
  mrb_state *mrb;
  struct RClass *module;        /* Kobako */
  struct RClass *service_error; /* Kobako::ServiceError */
  struct RClass *sandbox_error; /* Kobako::SandboxError */
  struct RClass *handle_class;  /* Kobako::Handle */
  struct RClass *bytecode_error;  /* Kobako::BytecodeError */
  struct RClass *transport_error; /* Kobako::Transport::Error */
  int image_white_part;           /* the GC's white colour in the image */
} kobako_runtime;

extern kobako_runtime kobako_rt;

/* Raises `exc` with the given backtrace (an Array of Strings) instead of
 * one taken from the VM stack: for errors the runtime raises outside any
 * Ruby frame, such as a syntax error or an unsendable result. */
mrb_noreturn void kobako_raise_with_backtrace(mrb_state *mrb, mrb_value exc, mrb_value backtrace);

/* A request the host wrote into guest memory. */
typedef struct {
  const uint8_t *bytes;
  size_t len;
} kobako_request;

/* The body of every export that takes a request and leaves an outcome:
 * resets the outcome, runs `body` under mrb_protect_error, frees the
 * request, and records an unrescued exception (origin forced to "sandbox"
 * when `*sandbox_origin` is true afterwards; NULL means never). */
void kobako_export_protected(mrb_protect_error_func *body, uint8_t *request, uint32_t len,
                             const bool *sandbox_origin);

/* Parses `source` as `filename` into a proc; raises SyntaxError naming the
 * file and line. */
struct RProc *kobako_parse(mrb_state *mrb, const char *source, size_t len, const char *filename);
/* Runs a parsed proc at top level and returns its value; re-raises what it
 * raised. */
mrb_value kobako_run_proc(mrb_state *mrb, struct RProc *proc);

#endif
