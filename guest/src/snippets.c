#include "snippets.h"

#include <stdlib.h>
#include <string.h>
#include <mruby/compile.h>
#include <mruby/dump.h>
#include <mruby/error.h>
#include <mruby/internal.h>
#include <mruby/irep.h>
#include <mruby/proc.h>
#include <mruby/string.h>

#include "outcome.h"
#include "runtime.h"

void kobako_snippets_init(mrb_state *mrb, struct RClass *kobako) {
  kobako_rt.bytecode_error = mrb_define_class_under(mrb, kobako, "BytecodeError", kobako_rt.sandbox_error);
}

static uint32_t be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Checks the RITE header so each kind of bad bytecode gets its own message. */
static void check_header(mrb_state *mrb, const uint8_t *bin, size_t len, size_t index) {
  const struct rite_binary_header *header = (const struct rite_binary_header *)bin;
  if (len < sizeof *header) {
    mrb_raisef(mrb, kobako_rt.bytecode_error, "snippet #%i: bytecode is truncated (%i bytes; the header alone is %i)",
               (mrb_int)index, (mrb_int)len, (mrb_int)sizeof *header);
  }
  if (memcmp(header->binary_ident, RITE_BINARY_IDENT, 4) != 0) {
    mrb_raisef(mrb, kobako_rt.bytecode_error, "snippet #%i: not mruby bytecode (no RITE header)", (mrb_int)index);
  }
  if (memcmp(header->major_version, RITE_BINARY_MAJOR_VER, 2) != 0 ||
      memcmp(header->minor_version, RITE_BINARY_MINOR_VER, 2) > 0) {
    mrb_raisef(mrb, kobako_rt.bytecode_error,
               "snippet #%i: bytecode format RITE%v is not supported; this guest reads RITE%v (mruby 4.0; compile with mruby 4.0's mrbc)",
               (mrb_int)index, mrb_str_new(mrb, (const char *)header->major_version, 4),
               mrb_str_new_lit(mrb, RITE_BINARY_FORMAT_VER));
  }
  uint32_t declared = be32(header->binary_size);
  if (declared > len) {
    mrb_raisef(mrb, kobako_rt.bytecode_error, "snippet #%i: bytecode is truncated (header says %i bytes, got %i)",
               (mrb_int)index, (mrb_int)declared, (mrb_int)len);
  }
}

void kobako_snippets_replay(mrb_state *mrb, mp_reader *r, size_t count) {
  for (size_t i = 0; i < count; i++) {
    mp_item item;
    if (!mp_read(r, &item) || item.kind != MP_BIN) {
      mrb_raise(mrb, E_ARGUMENT_ERROR, "malformed snippet from the host");
    }
    const uint8_t *bin = (const uint8_t *)item.bytes;
    check_header(mrb, bin, item.len, i + 1);
    int arena = mrb_gc_arena_save(mrb);
    mrb_irep *irep = mrb_read_irep_buf(mrb, bin, item.len);
    if (irep == NULL) {
      mrb->exc = NULL;
      mrb_raisef(mrb, kobako_rt.bytecode_error, "snippet #%i: bytecode body is corrupt", (mrb_int)(i + 1));
    }
    kobako_run_proc(mrb, mrb_proc_new(mrb, irep));
    mrb_gc_arena_restore(mrb, arena);
  }
}

/* Compiles [name, source] with file name "(snippet:Name)" and records the
 * bytecode (with debug info) as the outcome value. */
static mrb_value compile_body(mrb_state *mrb, void *data) {
  kobako_request *req = data;
  mp_reader r;
  mp_reader_init(&r, req->bytes, req->len);
  mp_item header, name, source;
  if (!mp_read(&r, &header) || header.kind != MP_ARRAY || header.len != 2 || !mp_read(&r, &name) ||
      name.kind != MP_STR || !mp_read(&r, &source) || source.kind != MP_STR || !mp_at_end(&r)) {
    mrb_raise(mrb, E_ARGUMENT_ERROR, "malformed compile request from the host");
  }
  mrb_value filename = mrb_format(mrb, "(snippet:%v)", mrb_str_new(mrb, name.bytes, (mrb_int)name.len));
  struct RProc *proc = kobako_parse(mrb, source.bytes, source.len, RSTRING_CSTR(mrb, filename));
  uint8_t *bin = NULL;
  size_t bin_len = 0;
  if (mrb_dump_irep(mrb, proc->body.irep, MRB_DUMP_DEBUG_INFO, &bin, &bin_len) != MRB_DUMP_OK) {
    mrb_raise(mrb, E_RUNTIME_ERROR, "cannot dump the compiled snippet");
  }
  mrb_value bytecode = mrb_str_new(mrb, (const char *)bin, (mrb_int)bin_len);
  mrb_free(mrb, bin);
  kobako_outcome_set_value(mrb, bytecode);
  return mrb_nil_value();
}

/* Compiles a snippet; the outcome is its bytecode or a SyntaxError. The
 * request at `request` (from kobako_alloc) is freed here. */
__attribute__((export_name("kobako_compile"))) void kobako_compile(uint8_t *request, uint32_t len) {
  kobako_export_protected(compile_body, request, len, NULL);
}

static mrb_value check_body(mrb_state *mrb, void *data) {
  kobako_request *req = data;
  check_header(mrb, req->bytes, req->len, 1);
  if (mrb_read_irep_buf(mrb, req->bytes, req->len) == NULL) {
    mrb->exc = NULL;
    mrb_raise(mrb, kobako_rt.bytecode_error, "snippet #1: bytecode body is corrupt");
  }
  kobako_outcome_set_value(mrb, mrb_nil_value());
  return mrb_nil_value();
}

/* Loads (without running) the bytecode at `bin` (from kobako_alloc; freed
 * here): the outcome is nil, or a Kobako::BytecodeError. A body corrupt
 * enough to fault the loader traps, which the host reports the same way. */
__attribute__((export_name("kobako_check_bytecode"))) void kobako_check_bytecode(uint8_t *bin, uint32_t len) {
  kobako_export_protected(check_body, bin, len, NULL);
}
