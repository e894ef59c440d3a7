/* JSON.parse: a recursive-descent reader over the source bytes, building
 * mruby values directly. Accepts what CRuby's json accepts by default: any
 * value at the top level, whitespace and comments (C block and // line
 * comments) between tokens, and NaN/Infinity/-Infinity only when the script allows them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mruby.h>
#include <mruby/array.h>
#include <mruby/hash.h>
#include <mruby/string.h>

#include "json.h"
#include "utf8.h"

typedef struct {
  mrb_state *mrb;
  const char *start;
  const char *p;
  const char *end;
  mrb_int depth;
  mrb_int max_nesting;
  bool symbolize_names;
  bool allow_nan;
} reader;

static mrb_value read_value(reader *r);

/* Raises JSON::ParserError naming the line and column (1-based, in
 * characters) of `at`. */
mrb_noreturn static void fail_at(reader *r, const char *at, const char *what) {
  mrb_int line = 1;
  const char *line_start = r->start;
  for (const char *q = r->start; q < at; q++) {
    if (*q == '\n') {
      line++;
      line_start = q + 1;
    }
  }
  mrb_int column = 1;
  for (const char *q = line_start; q < at; q++) {
    if (((unsigned char)*q & 0xc0) != 0x80) {
      column++;
    }
  }
  mrb_raisef(r->mrb, kobako_json.parser_error, "%s at line %i column %i", what, line, column);
}

/* "unexpected character: 'x'", or "unexpected end of input" at the end. */
mrb_noreturn static void unexpected(reader *r) {
  if (r->p >= r->end) {
    fail_at(r, r->p, "unexpected end of input");
  }
  unsigned char c = (unsigned char)*r->p;
  char what[48];
  if (c >= 0x20 && c < 0x7f) {
    snprintf(what, sizeof what, "unexpected character: '%c'", c);
  } else {
    snprintf(what, sizeof what, "unexpected byte 0x%02x", c);
  }
  fail_at(r, r->p, what);
}

static void skip_space(reader *r) {
  while (r->p < r->end) {
    char c = *r->p;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      r->p++;
    } else if (c == '/' && r->p + 1 < r->end && r->p[1] == '*') {
      const char *open = r->p;
      r->p += 2;
      while (true) {
        if (r->p + 1 >= r->end) {
          fail_at(r, open, "unterminated comment");
        }
        if (r->p[0] == '*' && r->p[1] == '/') {
          r->p += 2;
          break;
        }
        r->p++;
      }
    } else if (c == '/' && r->p + 1 < r->end && r->p[1] == '/') {
      while (r->p < r->end && *r->p != '\n') {
        r->p++;
      }
    } else {
      return;
    }
  }
}

static bool take_word(reader *r, const char *word) {
  size_t len = strlen(word);
  if ((size_t)(r->end - r->p) >= len && memcmp(r->p, word, len) == 0) {
    r->p += len;
    return true;
  }
  return false;
}

static void enter(reader *r) {
  if (++r->depth > r->max_nesting) {
    mrb_raisef(r->mrb, kobako_json.nesting_error, "nesting of %i is too deep", r->depth);
  }
}

/* Takes the character `c` if it is next. */
static bool take_char(reader *r, char c) {
  if (r->p < r->end && *r->p == c) {
    r->p++;
    return true;
  }
  return false;
}

/* Takes the `close` that ends the current array or object, if it is next. */
static bool close_container(reader *r, char close) {
  if (!take_char(r, close)) {
    return false;
  }
  r->depth--;
  return true;
}

/* Enters the array or object whose opening bracket is next; true when
 * `close` ends it at once (it is empty). */
static bool open_container(reader *r, char close) {
  enter(r);
  r->p++;
  skip_space(r);
  return close_container(r, close);
}

/* After a member: true when a `,` announces another, false when `close`
 * ended the container; anything else is an error. */
static bool next_member(reader *r, char close) {
  skip_space(r);
  if (take_char(r, ',')) {
    return true;
  }
  if (close_container(r, close)) {
    return false;
  }
  unexpected(r);
}

static bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static mrb_value read_number(reader *r) {
  const char *begin = r->p;
  const char *p = r->p;
  if (p < r->end && *p == '-') {
    p++;
  }
  if (p >= r->end || !is_digit(*p)) {
    r->p = p;
    unexpected(r);
  }
  if (*p == '0') {
    p++;
    if (p < r->end && is_digit(*p)) {
      r->p = p;
      unexpected(r);
    }
  } else {
    while (p < r->end && is_digit(*p)) {
      p++;
    }
  }
  bool is_float = false;
  if (p < r->end && *p == '.') {
    p++;
    if (p >= r->end || !is_digit(*p)) {
      r->p = p;
      unexpected(r);
    }
    while (p < r->end && is_digit(*p)) {
      p++;
    }
    is_float = true;
  }
  if (p < r->end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < r->end && (*p == '+' || *p == '-')) {
      p++;
    }
    if (p >= r->end || !is_digit(*p)) {
      r->p = p;
      unexpected(r);
    }
    while (p < r->end && is_digit(*p)) {
      p++;
    }
    is_float = true;
  }
  r->p = p;
  size_t len = (size_t)(p - begin);
  if (!is_float) {
    if (len <= 9) {
      mrb_int n = 0;
      for (const char *q = begin[0] == '-' ? begin + 1 : begin; q < p; q++) {
        n = n * 10 + (*q - '0');
      }
      return mrb_int_value(r->mrb, begin[0] == '-' ? -n : n);
    }
    /* Longer: nine digits at a time, with Integer arithmetic, which
     * promotes to a big integer as needed. */
    mrb_state *mrb = r->mrb;
    const char *q = begin[0] == '-' ? begin + 1 : begin;
    mrb_value value = mrb_fixnum_value(0);
    mrb_sym mul = mrb_intern_lit(mrb, "*");
    mrb_sym add = mrb_intern_lit(mrb, "+");
    while (q < p) {
      mrb_int chunk = 0;
      mrb_int scale = 1;
      for (int i = 0; i < 9 && q < p; i++, q++) {
        chunk = chunk * 10 + (*q - '0');
        scale *= 10;
      }
      mrb_value scale_v = mrb_fixnum_value(scale);
      mrb_value chunk_v = mrb_fixnum_value(chunk);
      value = mrb_funcall_argv(mrb, value, mul, 1, &scale_v);
      value = mrb_funcall_argv(mrb, value, add, 1, &chunk_v);
    }
    if (begin[0] == '-') {
      value = mrb_funcall_argv(mrb, value, mrb_intern_lit(mrb, "-@"), 0, NULL);
    }
    return value;
  }
  char small[64];
  char *text = len < sizeof small ? small : mrb_malloc(r->mrb, len + 1);
  memcpy(text, begin, len);
  text[len] = '\0';
  double d = strtod(text, NULL);
  if (text != small) {
    mrb_free(r->mrb, text);
  }
  return mrb_float_value(r->mrb, d);
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Reads the four hex digits after "\u"; -1 when they are not hex. */
static int32_t read_hex4(reader *r, const char *p) {
  if (r->end - p < 4) {
    return -1;
  }
  int32_t v = 0;
  for (int i = 0; i < 4; i++) {
    int h = hex_value(p[i]);
    if (h < 0) {
      return -1;
    }
    v = (v << 4) | h;
  }
  return v;
}

static size_t encode_utf8(uint32_t cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xc0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xe0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
  }
  out[0] = (char)(0xf0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
  out[3] = (char)(0x80 | (cp & 0x3f));
  return 4;
}

/* Appends raw source bytes [from, to) after checking they are UTF-8. */
static void append_raw(reader *r, mrb_value str, const char *from, const char *to) {
  if (from == to) {
    return;
  }
  if (!kobako_utf8_valid(from, (size_t)(to - from))) {
    /* Find the first bad byte for the position. */
    const char *bad = from;
    while (bad < to && kobako_utf8_valid(from, (size_t)(bad - from + 1))) {
      bad++;
    }
    const char *lead = bad;
    while (lead > from && ((unsigned char)*lead & 0xc0) == 0x80) {
      lead--;
    }
    fail_at(r, lead, "invalid UTF-8 in string");
  }
  mrb_str_cat(r->mrb, str, from, (size_t)(to - from));
}

/* A string; r->p is on the opening quote. */
static mrb_value read_string(reader *r) {
  mrb_state *mrb = r->mrb;
  r->p++;
  mrb_value str = mrb_str_new(mrb, NULL, 0);
  const char *run = r->p;
  while (true) {
    if (r->p >= r->end) {
      fail_at(r, r->p, "unexpected end of input in string");
    }
    unsigned char c = (unsigned char)*r->p;
    if (c == '"') {
      append_raw(r, str, run, r->p);
      r->p++;
      return str;
    }
    if (c < 0x20) {
      fail_at(r, r->p, "invalid control character in string");
    }
    if (c != '\\') {
      r->p++;
      continue;
    }
    append_raw(r, str, run, r->p);
    const char *escape = r->p;
    if (r->p + 1 >= r->end) {
      fail_at(r, escape, "unexpected end of input in string");
    }
    char e = r->p[1];
    r->p += 2;
    char out[4];
    size_t n = 1;
    switch (e) {
      case '"': out[0] = '"'; break;
      case '\\': out[0] = '\\'; break;
      case '/': out[0] = '/'; break;
      case 'b': out[0] = '\b'; break;
      case 'f': out[0] = '\f'; break;
      case 'n': out[0] = '\n'; break;
      case 'r': out[0] = '\r'; break;
      case 't': out[0] = '\t'; break;
      case 'u': {
        int32_t cp = read_hex4(r, r->p);
        if (cp < 0) {
          fail_at(r, escape, "incomplete unicode character escape sequence");
        }
        r->p += 4;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          int32_t low = -1;
          if (r->end - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u') {
            low = read_hex4(r, r->p + 2);
          }
          if (low < 0xdc00 || low > 0xdfff) {
            fail_at(r, escape, "unpaired surrogate in unicode escape");
          }
          r->p += 6;
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        } else if (cp >= 0xdc00 && cp <= 0xdfff) {
          fail_at(r, escape, "unpaired surrogate in unicode escape");
        }
        n = encode_utf8((uint32_t)cp, out);
        break;
      }
      default:
        fail_at(r, escape, "invalid escape in string");
    }
    mrb_str_cat(mrb, str, out, n);
    run = r->p;
  }
}

static mrb_value read_array(reader *r) {
  mrb_state *mrb = r->mrb;
  mrb_value ary = mrb_ary_new(mrb);
  int arena = mrb_gc_arena_save(mrb);
  if (open_container(r, ']')) {
    return ary;
  }
  do {
    mrb_ary_push(mrb, ary, read_value(r));
    mrb_gc_arena_restore(mrb, arena);
  } while (next_member(r, ']'));
  return ary;
}

static mrb_value read_object(reader *r) {
  mrb_state *mrb = r->mrb;
  mrb_value hash = mrb_hash_new(mrb);
  int arena = mrb_gc_arena_save(mrb);
  if (open_container(r, '}')) {
    return hash;
  }
  do {
    skip_space(r);
    if (r->p >= r->end || *r->p != '"') {
      unexpected(r);
    }
    mrb_value key = read_string(r);
    if (r->symbolize_names) {
      key = mrb_symbol_value(mrb_intern_str(mrb, key));
    }
    skip_space(r);
    if (!take_char(r, ':')) {
      unexpected(r);
    }
    mrb_value value = read_value(r);
    mrb_hash_set(mrb, hash, key, value);
    mrb_gc_arena_restore(mrb, arena);
  } while (next_member(r, '}'));
  return hash;
}

static mrb_value read_special_float(reader *r, const char *word, double value) {
  const char *at = r->p;
  if (!take_word(r, word)) {
    unexpected(r);
  }
  if (!r->allow_nan) {
    char what[48];
    snprintf(what, sizeof what, "unexpected token '%s'", word);
    fail_at(r, at, what);
  }
  return mrb_float_value(r->mrb, value);
}

static mrb_value read_value(reader *r) {
  skip_space(r);
  if (r->p >= r->end) {
    unexpected(r);
  }
  switch (*r->p) {
    case '{': return read_object(r);
    case '[': return read_array(r);
    case '"': return read_string(r);
    case 't':
      if (take_word(r, "true")) return mrb_true_value();
      break;
    case 'f':
      if (take_word(r, "false")) return mrb_false_value();
      break;
    case 'n':
      if (take_word(r, "null")) return mrb_nil_value();
      break;
    case 'N': return read_special_float(r, "NaN", NAN);
    case 'I': return read_special_float(r, "Infinity", INFINITY);
    case '-':
      if (r->p + 1 < r->end && r->p[1] == 'I') {
        return read_special_float(r, "-Infinity", -INFINITY);
      }
      return read_number(r);
    default:
      if (is_digit(*r->p)) return read_number(r);
      break;
  }
  unexpected(r);
}

/* JSON.__parse(source, symbolize_names, allow_nan, max_nesting) */
static mrb_value json_parse(mrb_state *mrb, mrb_value self) {
  (void)self;
  mrb_value source;
  mrb_bool symbolize_names;
  mrb_bool allow_nan;
  mrb_int max_nesting;
  mrb_get_args(mrb, "Sbbi", &source, &symbolize_names, &allow_nan, &max_nesting);
  /* A private copy: the pointers below stay valid whatever happens to the
   * script's string. */
  source = mrb_str_dup(mrb, source);
  reader r = {
    .mrb = mrb,
    .start = RSTRING_PTR(source),
    .p = RSTRING_PTR(source),
    .end = RSTRING_PTR(source) + RSTRING_LEN(source),
    .depth = 0,
    .max_nesting = kobako_json_nesting_limit(max_nesting),
    .symbolize_names = symbolize_names,
    .allow_nan = allow_nan,
  };
  mrb_value value = read_value(&r);
  skip_space(&r);
  if (r.p < r.end) {
    unexpected(&r);
  }
  return value;
}

void kobako_json_parse_init(mrb_state *mrb) {
  mrb_define_class_method(mrb, kobako_json.module, "__parse", json_parse, MRB_ARGS_REQ(4));
}
