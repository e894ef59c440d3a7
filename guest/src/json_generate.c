/* JSON.generate and JSON.pretty_generate: writes Hash, Array, String,
 * Symbol, Integer, Float, true, false and nil as CRuby's json does; any
 * other object is written by its own #to_json when a script defined one,
 * and as its #to_s otherwise. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mruby.h>
#include <mruby/array.h>
#include <mruby/class.h>
#include <mruby/hash.h>
#include <mruby/numeric.h>
#include <mruby/proc.h>
#include <mruby/string.h>
#include <mruby/variable.h>

#include "json.h"
#include "utf8.h"

typedef struct {
  mrb_state *mrb;
  mrb_value out;
  mrb_int depth;
  mrb_int max_nesting;
  bool pretty;
  bool allow_nan;
} writer;

static void write_value(writer *w, mrb_value v);

static void put(writer *w, const char *bytes, size_t len) {
  mrb_str_cat(w->mrb, w->out, bytes, len);
}

static void put_c(writer *w, const char *text) {
  put(w, text, strlen(text));
}

static void newline_indent(writer *w) {
  if (!w->pretty) {
    return;
  }
  put(w, "\n", 1);
  for (mrb_int i = 0; i < w->depth; i++) {
    put(w, "  ", 2);
  }
}

static void enter(writer *w) {
  if (++w->depth > w->max_nesting) {
    mrb_raisef(w->mrb, kobako_json.nesting_error, "nesting of %i is too deep", w->depth);
  }
}

/* A JSON string: quotes, backslashes and control characters escaped (the
 * usual short forms, \u00xx for the rest), everything else, "/" and
 * non-ASCII included, as it is. */
static void write_string(writer *w, const char *s, size_t len) {
  if (!kobako_utf8_valid(s, len)) {
    mrb_raise(w->mrb, kobako_json.generator_error, "source sequence is illegal/malformed utf-8");
  }
  static const char hex[] = "0123456789abcdef";
  put(w, "\"", 1);
  size_t run = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *escape = NULL;
    char buf[7];
    switch (c) {
      case '"': escape = "\\\""; break;
      case '\\': escape = "\\\\"; break;
      case '\b': escape = "\\b"; break;
      case '\f': escape = "\\f"; break;
      case '\n': escape = "\\n"; break;
      case '\r': escape = "\\r"; break;
      case '\t': escape = "\\t"; break;
      default:
        if (c < 0x20) {
          memcpy(buf, "\\u00", 4);
          buf[4] = hex[c >> 4];
          buf[5] = hex[c & 0xf];
          buf[6] = '\0';
          escape = buf;
        }
        break;
    }
    if (escape != NULL) {
      put(w, s + run, i - run);
      put_c(w, escape);
      run = i + 1;
    }
  }
  put(w, s + run, len - run);
  put(w, "\"", 1);
}

static void write_str_value(writer *w, mrb_value str) {
  write_string(w, RSTRING_PTR(str), (size_t)RSTRING_LEN(str));
}

/* Float#to_s as CRuby prints it: the shortest digits that read back to the
 * same double; plain notation for exponents -4 < e <= 16, else d.ddde+XX. */
static void write_float(writer *w, mrb_float f) {
  if (isnan(f) || isinf(f)) {
    const char *name = isnan(f) ? "NaN" : (f > 0 ? "Infinity" : "-Infinity");
    if (!w->allow_nan) {
      mrb_raisef(w->mrb, kobako_json.generator_error, "%s not allowed in JSON", name);
    }
    put_c(w, name);
    return;
  }
  char sci[40];
  for (int precision = 1; precision <= 17; precision++) {
    snprintf(sci, sizeof sci, "%.*e", precision - 1, fabs(f));
    if (strtod(sci, NULL) == fabs(f)) {
      break;
    }
  }
  /* sci is "d.ddde[+-]xx" or "de[+-]xx": collect the digits and exponent. */
  char digits[20];
  int ndigits = 0;
  const char *p = sci;
  for (; *p != 'e'; p++) {
    if (*p != '.') {
      digits[ndigits++] = *p;
    }
  }
  int exponent = atoi(p + 1);
  while (ndigits > 1 && digits[ndigits - 1] == '0') {
    ndigits--;
  }
  int decpt = exponent + 1; /* digits before the decimal point */
  char out[64];
  int n = 0;
  if (signbit(f)) {
    out[n++] = '-';
  }
  if (f == 0) {
    memcpy(out + n, "0.0", 3);
    n += 3;
  } else if (decpt > 0 && decpt <= DBL_DIG + 1) {
    for (int i = 0; i < decpt; i++) {
      out[n++] = i < ndigits ? digits[i] : '0';
    }
    out[n++] = '.';
    if (ndigits > decpt) {
      for (int i = decpt; i < ndigits; i++) {
        out[n++] = digits[i];
      }
    } else {
      out[n++] = '0';
    }
  } else if (decpt <= 0 && decpt > -4) {
    out[n++] = '0';
    out[n++] = '.';
    for (int i = 0; i < -decpt; i++) {
      out[n++] = '0';
    }
    for (int i = 0; i < ndigits; i++) {
      out[n++] = digits[i];
    }
  } else {
    out[n++] = digits[0];
    out[n++] = '.';
    if (ndigits > 1) {
      for (int i = 1; i < ndigits; i++) {
        out[n++] = digits[i];
      }
    } else {
      out[n++] = '0';
    }
    n += snprintf(out + n, sizeof out - (size_t)n, "e%+03d", decpt - 1);
  }
  put(w, out, (size_t)n);
}

static void write_array(writer *w, mrb_value ary) {
  enter(w);
  put(w, "[", 1);
  mrb_int len = RARRAY_LEN(ary);
  if (len > 0) {
    int arena = mrb_gc_arena_save(w->mrb);
    /* A script's #to_json may change the array while it is written. */
    for (mrb_int i = 0; i < RARRAY_LEN(ary); i++) {
      if (i > 0) {
        put(w, ",", 1);
      }
      newline_indent(w);
      write_value(w, RARRAY_PTR(ary)[i]);
      mrb_gc_arena_restore(w->mrb, arena);
    }
    w->depth--;
    newline_indent(w);
  } else {
    w->depth--;
  }
  put(w, "]", 1);
}

static void write_key(writer *w, mrb_value key) {
  if (mrb_string_p(key)) {
    write_str_value(w, key);
  } else if (mrb_symbol_p(key)) {
    mrb_int len;
    const char *name = mrb_sym_name_len(w->mrb, mrb_symbol(key), &len);
    write_string(w, name, (size_t)len);
  } else {
    write_str_value(w, mrb_obj_as_string(w->mrb, key));
  }
}

static void write_hash(writer *w, mrb_value hash) {
  enter(w);
  put(w, "{", 1);
  /* The keys first: a script's #to_json may change the hash meanwhile. */
  mrb_value keys = mrb_hash_keys(w->mrb, hash);
  mrb_int len = RARRAY_LEN(keys);
  if (len > 0) {
    int arena = mrb_gc_arena_save(w->mrb);
    for (mrb_int i = 0; i < RARRAY_LEN(keys); i++) {
      mrb_value key = RARRAY_PTR(keys)[i];
      if (i > 0) {
        put(w, ",", 1);
      }
      newline_indent(w);
      write_key(w, key);
      put_c(w, w->pretty ? ": " : ":");
      write_value(w, mrb_hash_get(w->mrb, hash, key));
      mrb_gc_arena_restore(w->mrb, arena);
    }
    w->depth--;
    newline_indent(w);
  } else {
    w->depth--;
  }
  put(w, "}", 1);
}

/* Writes an object of any other class: by the #to_json a script defined for
 * it, or as the string its #to_s returns (CRuby's Object#to_json). */
static void write_other(writer *w, mrb_value v) {
  mrb_state *mrb = w->mrb;
  mrb_sym to_json = mrb_intern_lit(mrb, "to_json");
  struct RClass *owner = mrb_class(mrb, v);
  mrb_method_t method = mrb_method_search_vm(mrb, &owner, to_json);
  if (!MRB_METHOD_UNDEF_P(method) && owner != mrb->object_class && owner != mrb->kernel_module) {
    mrb_value nil = mrb_nil_value();
    mrb_value text = mrb_funcall_argv(mrb, v, to_json, 1, &nil);
    if (!mrb_string_p(text)) {
      mrb_raisef(mrb, kobako_json.generator_error, "%C#to_json returned %T, not a String", mrb_class(mrb, v),
                 text);
    }
    put(w, RSTRING_PTR(text), (size_t)RSTRING_LEN(text));
    return;
  }
  write_str_value(w, mrb_obj_as_string(mrb, v));
}

static void write_value(writer *w, mrb_value v) {
  mrb_state *mrb = w->mrb;
  switch (mrb_type(v)) {
    case MRB_TT_FALSE:
      put_c(w, mrb_nil_p(v) ? "null" : "false");
      return;
    case MRB_TT_TRUE:
      put_c(w, "true");
      return;
    case MRB_TT_INTEGER: {
      mrb_value text = mrb_integer_to_str(mrb, v, 10);
      put(w, RSTRING_PTR(text), (size_t)RSTRING_LEN(text));
      return;
    }
#ifdef MRB_USE_BIGINT
    case MRB_TT_BIGINT: {
      mrb_value text = mrb_funcall_argv(mrb, v, mrb_intern_lit(mrb, "to_s"), 0, NULL);
      put(w, RSTRING_PTR(text), (size_t)RSTRING_LEN(text));
      return;
    }
#endif
    case MRB_TT_FLOAT:
      write_float(w, mrb_float(v));
      return;
    case MRB_TT_STRING:
      write_str_value(w, v);
      return;
    case MRB_TT_SYMBOL: {
      mrb_int len;
      const char *name = mrb_sym_name_len(mrb, mrb_symbol(v), &len);
      write_string(w, name, (size_t)len);
      return;
    }
    case MRB_TT_ARRAY:
      write_array(w, v);
      return;
    case MRB_TT_HASH:
      write_hash(w, v);
      return;
    default:
      write_other(w, v);
      return;
  }
}

/* JSON.__generate(obj, pretty, allow_nan, max_nesting) */
static mrb_value json_generate(mrb_state *mrb, mrb_value self) {
  (void)self;
  mrb_value obj;
  mrb_bool pretty;
  mrb_bool allow_nan;
  mrb_int max_nesting;
  mrb_get_args(mrb, "obbi", &obj, &pretty, &allow_nan, &max_nesting);
  writer w = {
    .mrb = mrb,
    .out = mrb_str_new_capa(mrb, 64),
    .depth = 0,
    .max_nesting = kobako_json_nesting_limit(max_nesting),
    .pretty = pretty,
    .allow_nan = allow_nan,
  };
  write_value(&w, obj);
  return w.out;
}

void kobako_json_generate_init(mrb_state *mrb) {
  mrb_define_class_method(mrb, kobako_json.module, "__generate", json_generate, MRB_ARGS_REQ(4));
}
