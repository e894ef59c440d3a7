/* The runtime functions runtime.h declares: the process-wide state, and
 * the parse, run and protect steps the exports and snippets share. */
#include "runtime.h"

#include <stdlib.h>
#include <mruby/array.h>
#include <mruby/compile.h>
#include <mruby/proc.h>
#include <mruby/string.h>

#include "outcome.h"

kobako_runtime kobako_rt;

mrb_noreturn void kobako_raise_with_backtrace(mrb_state *mrb, mrb_value exc, mrb_value backtrace) {
  mrb_funcall_argv(mrb, exc, mrb_intern_lit(mrb, "set_backtrace"), 1, &backtrace);
  mrb_exc_raise(mrb, exc);
}

struct RProc *kobako_parse(mrb_state *mrb, const char *source, size_t len, const char *filename) {
  mrbc_context *cxt = mrbc_context_new(mrb);
  mrbc_filename(mrb, cxt, filename);
  cxt->capture_errors = TRUE;
  struct mrb_parser_state *parser = mrb_parse_nstring(mrb, source, (mrb_int)len, cxt);
  if (parser == NULL) {
    mrbc_context_free(mrb, cxt);
    mrb_raise(mrb, mrb_exc_get_id(mrb, mrb_intern_lit(mrb, "NoMemoryError")), "out of memory while parsing");
  }
  if (parser->nerr > 0) {
    mrb_value location = mrb_format(mrb, "%s:%d", filename, (int)parser->error_buffer[0].lineno);
    mrb_value message = mrb_format(mrb, "%v: %s", location, parser->error_buffer[0].message);
    mrb_parser_free(parser);
    mrbc_context_free(mrb, cxt);
    kobako_raise_with_backtrace(mrb, mrb_exc_new_str(mrb, E_SYNTAX_ERROR, message),
                                mrb_ary_new_from_values(mrb, 1, &location));
  }
  struct RProc *proc = mrb_generate_code(mrb, parser);
  mrb_parser_free(parser);
  mrbc_context_free(mrb, cxt);
  if (proc == NULL) {
    mrb_raise(mrb, E_SCRIPT_ERROR, "codegen error");
  }
  return proc;
}

mrb_value kobako_run_proc(mrb_state *mrb, struct RProc *proc) {
  MRB_PROC_SET_TARGET_CLASS(proc, mrb->object_class);
  mrb_value value = mrb_top_run(mrb, proc, mrb_top_self(mrb), 0);
  if (mrb->exc != NULL) {
    mrb_value exc = mrb_obj_value(mrb->exc);
    mrb->exc = NULL;
    mrb_exc_raise(mrb, exc);
  }
  return value;
}

void kobako_export_protected(mrb_protect_error_func *body, uint8_t *request, uint32_t len,
                             const bool *sandbox_origin) {
  kobako_outcome_reset();
  mrb_state *mrb = kobako_rt.mrb;
  if (mrb == NULL || request == NULL) {
    free(request);
    return; /* no outcome: the host reports that the sandbox produced none */
  }
  int arena = mrb_gc_arena_save(mrb);
  kobako_request req = {request, len};
  mrb_bool failed;
  mrb_value exc = mrb_protect_error(mrb, body, &req, &failed);
  free(request);
  if (failed) {
    kobako_outcome_set_exception(mrb, exc, sandbox_origin != NULL && *sandbox_origin);
  }
  mrb_gc_arena_restore(mrb, arena);
}
