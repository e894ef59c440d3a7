/* The native driver of `cargo xtask sanitize`: builds the interpreter the
 * way kobako_initialize does (Kobako module, Handle, JSON, Regexp, the
 * prelude), with stand-ins for the parts that need the wasm host (output
 * goes to stdio, entropy is a constant, there are no services), then loads
 * each further file in order. Usage: harness PRELUDE FILE... */
#include <stdio.h>
#include <stdlib.h>

#include <mruby.h>
#include <mruby/compile.h>
#include <mruby/string.h>

#include "handle.h"
#include "json.h"
#include "regexp.h"
#include "runtime.h"

kobako_runtime kobako_rt;

mrb_noreturn void kobako_raise_with_backtrace(mrb_state *mrb, mrb_value exc, mrb_value backtrace) {
  (void)backtrace;
  mrb_exc_raise(mrb, exc);
}

/* Kobako.__write(fd, string): fd 1 is stdout, anything else stderr. */
static mrb_value write_m(mrb_state *mrb, mrb_value self) {
  (void)self;
  mrb_int fd;
  mrb_value text;
  mrb_get_args(mrb, "iS", &fd, &text);
  fwrite(RSTRING_PTR(text), 1, (size_t)RSTRING_LEN(text), fd == 1 ? stdout : stderr);
  return mrb_fixnum_value(RSTRING_LEN(text));
}

static mrb_value entropy_m(mrb_state *mrb, mrb_value self) {
  (void)mrb;
  (void)self;
  return mrb_fixnum_value(20261123);
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL || fseek(f, 0, SEEK_END) != 0) {
    return NULL;
  }
  long size = ftell(f);
  char *bytes = size < 0 ? NULL : malloc((size_t)size + 1);
  if (bytes == NULL || fseek(f, 0, SEEK_SET) != 0 || fread(bytes, 1, (size_t)size, f) != (size_t)size) {
    fclose(f);
    free(bytes);
    return NULL;
  }
  fclose(f);
  *len = (size_t)size;
  return bytes;
}

/* Loads one file as the top-level script `path`; false when it raised. */
static int load(mrb_state *mrb, const char *path) {
  size_t len = 0;
  char *source = read_file(path, &len);
  if (source == NULL) {
    fprintf(stderr, "harness: cannot read %s\n", path);
    exit(2);
  }
  mrbc_context *cxt = mrbc_context_new(mrb);
  mrbc_filename(mrb, cxt, path);
  mrb_load_nstring_cxt(mrb, source, (mrb_int)len, cxt);
  mrbc_context_free(mrb, cxt);
  free(source);
  if (mrb->exc != NULL) {
    mrb_print_error(mrb);
    mrb->exc = NULL;
    return 0;
  }
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: harness PRELUDE FILE...\n");
    return 2;
  }
  mrb_state *mrb = mrb_open();
  if (mrb == NULL) {
    return 2;
  }
  kobako_rt.mrb = mrb;
  kobako_rt.module = mrb_define_module(mrb, "Kobako");
  kobako_rt.service_error = mrb_define_class_under(mrb, kobako_rt.module, "ServiceError", E_RUNTIME_ERROR);
  kobako_rt.sandbox_error =
      mrb_define_class_under(mrb, kobako_rt.module, "SandboxError", mrb->eStandardError_class);
  mrb_define_module_function(mrb, kobako_rt.module, "__write", write_m, MRB_ARGS_REQ(2));
  mrb_define_module_function(mrb, kobako_rt.module, "__entropy", entropy_m, MRB_ARGS_NONE());
  kobako_handle_init(mrb, kobako_rt.module);
  kobako_rt.bytecode_error =
      mrb_define_class_under(mrb, kobako_rt.module, "BytecodeError", kobako_rt.sandbox_error);
  kobako_json_init(mrb);
  kobako_regexp_init(mrb);
  struct RClass *transport = mrb_define_module_under(mrb, kobako_rt.module, "Transport");
  kobako_rt.transport_error = mrb_define_class_under(mrb, transport, "Error", kobako_rt.sandbox_error);
  if (!load(mrb, argv[1])) {
    fprintf(stderr, "harness: the prelude raised\n");
    return 2;
  }
  mrb_full_gc(mrb);
  int status = 0;
  for (int i = 2; i < argc; i++) {
    if (!load(mrb, argv[i])) {
      status = 1;
    }
  }
  mrb_close(mrb);
  return status;
}
