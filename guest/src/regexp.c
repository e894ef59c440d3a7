#include "regexp.h"

#include <string.h>
#include <mruby.h>
#include <mruby/array.h>
#include <mruby/class.h>
#include <mruby/data.h>
#include <mruby/hash.h>
#include <mruby/string.h>
#include <mruby/variable.h>
#include <oniguruma.h>

#include "utf8.h"

static struct RClass *regexp_class;
static struct RClass *regexp_error;
static struct RClass *timeout_error;
static struct RClass *match_data_class;

/* Ruby's option bits, which are also Oniguruma's. */
enum { OPT_IGNORECASE = 1, OPT_EXTENDED = 2, OPT_MULTILINE = 4 };

static void regexp_free(mrb_state *mrb, void *ptr) {
  (void)mrb;
  if (ptr != NULL) {
    onig_free((regex_t *)ptr);
  }
}

static const struct mrb_data_type regexp_type = {"Regexp", regexp_free};

static regex_t *get_regex(mrb_state *mrb, mrb_value self) {
  regex_t *re = mrb_data_check_get_ptr(mrb, self, &regexp_type);
  if (re == NULL) {
    mrb_raise(mrb, E_TYPE_ERROR, "uninitialized Regexp");
  }
  return re;
}

/* Options from an Integer, a String of flag letters ("imx"), or any other
 * truthy value (ignore case), as Regexp.new takes them. */
static OnigOptionType parse_options(mrb_state *mrb, mrb_value options) {
  if (mrb_nil_p(options) || mrb_false_p(options)) {
    return 0;
  }
  if (mrb_integer_p(options)) {
    return (OnigOptionType)(mrb_integer(options) & (OPT_IGNORECASE | OPT_EXTENDED | OPT_MULTILINE));
  }
  if (mrb_string_p(options)) {
    OnigOptionType flags = 0;
    const char *p = RSTRING_PTR(options);
    for (mrb_int i = 0; i < RSTRING_LEN(options); i++) {
      switch (p[i]) {
        case 'i': flags |= OPT_IGNORECASE; break;
        case 'x': flags |= OPT_EXTENDED; break;
        case 'm': flags |= OPT_MULTILINE; break;
        /* encoding letters of a literal (/.../u, /n, /e, /s) */
        case 'u': case 'n': case 'e': case 's': break;
        default:
          mrb_raisef(mrb, E_ARGUMENT_ERROR, "unknown regexp option: %v", options);
      }
    }
    return flags;
  }
  return OPT_IGNORECASE;
}

static int collect_name(const UChar *name, const UChar *name_end, int ngroups, int *groups, regex_t *re,
                        void *arg) {
  (void)re;
  mrb_state *mrb = ((void **)arg)[0];
  mrb_value names = *(mrb_value *)((void **)arg)[1];
  mrb_value list = mrb_ary_new_capa(mrb, ngroups);
  for (int i = 0; i < ngroups; i++) {
    mrb_ary_push(mrb, list, mrb_fixnum_value(groups[i]));
  }
  mrb_hash_set(mrb, names, mrb_str_new(mrb, (const char *)name, name_end - name), list);
  return 0;
}

/* Regexp#__compile(source, options): compiles `source`, keeps the result
 * in self, and sets @source, @options and @names (name => group numbers). */
static mrb_value regexp_compile(mrb_state *mrb, mrb_value self) {
  mrb_value source;
  mrb_value options;
  mrb_get_args(mrb, "So", &source, &options);
  OnigOptionType flags = parse_options(mrb, options);
  source = mrb_str_dup(mrb, source);
  mrb_obj_freeze(mrb, source);
  regex_t *re = NULL;
  OnigErrorInfo einfo;
  const UChar *pattern = (const UChar *)RSTRING_PTR(source);
  int rc = onig_new(&re, pattern, pattern + RSTRING_LEN(source), flags, ONIG_ENCODING_UTF8, ONIG_SYNTAX_RUBY,
                    &einfo);
  if (rc != ONIG_NORMAL) {
    UChar message[ONIG_MAX_ERROR_MESSAGE_LEN];
    onig_error_code_to_str(message, rc, &einfo);
    mrb_raisef(mrb, regexp_error, "invalid regular expression: %s: /%v/", (const char *)message, source);
  }
  regex_t *old = DATA_PTR(self);
  if (old != NULL) {
    onig_free(old);
  }
  mrb_data_init(self, re, &regexp_type);
  mrb_value names = mrb_hash_new(mrb);
  void *arg[2] = {mrb, &names};
  onig_foreach_name(re, collect_name, arg);
  mrb_iv_set(mrb, self, mrb_intern_lit(mrb, "@source"), source);
  mrb_iv_set(mrb, self, mrb_intern_lit(mrb, "@options"), mrb_fixnum_value((mrb_int)flags));
  mrb_iv_set(mrb, self, mrb_intern_lit(mrb, "@names"), names);
  return self;
}

static OnigRegion *shared_region;

/* Regexp#__search(string, byte_start, anchored): the first match at or after
 * byte offset `byte_start` (only at it when `anchored`), as a MatchData, or
 * nil. Sets no globals. */
static mrb_value regexp_search(mrb_state *mrb, mrb_value self) {
  mrb_value str;
  mrb_int start;
  mrb_bool anchored = FALSE;
  mrb_get_args(mrb, "Si|b", &str, &start, &anchored);
  regex_t *re = get_regex(mrb, self);
  mrb_int len = RSTRING_LEN(str);
  if (start < 0 || start > len) {
    return mrb_nil_value();
  }
  if (shared_region == NULL) {
    shared_region = onig_region_new();
  }
  const UChar *begin = (const UChar *)RSTRING_PTR(str);
  const UChar *end = begin + len;
  /* A broken string is refused, as CRuby does, before Oniguruma reads it. */
  if (!kobako_utf8_valid(RSTRING_PTR(str), (size_t)len)) {
    mrb_raise(mrb, E_ARGUMENT_ERROR, "invalid byte sequence in UTF-8");
  }
  OnigMatchParam *param = onig_new_match_param();
  onig_initialize_match_param(param);
  onig_set_retry_limit_in_match_of_match_param(param, KOBAKO_REGEXP_RETRY_LIMIT_IN_MATCH);
  onig_set_retry_limit_in_search_of_match_param(param, KOBAKO_REGEXP_RETRY_LIMIT_IN_SEARCH);
  int rc = anchored
               ? onig_match_with_param(re, begin, end, begin + start, shared_region, ONIG_OPTION_NONE, param)
               : onig_search_with_param(re, begin, end, begin + start, end, shared_region, ONIG_OPTION_NONE, param);
  onig_free_match_param(param);
  if (rc == ONIG_MISMATCH) {
    return mrb_nil_value();
  }
  if (rc == ONIGERR_RETRY_LIMIT_IN_MATCH_OVER || rc == ONIGERR_RETRY_LIMIT_IN_SEARCH_OVER) {
    mrb_raise(mrb, timeout_error, "regexp match timeout (backtracking limit exceeded)");
  }
  if (rc < 0) {
    UChar message[ONIG_MAX_ERROR_MESSAGE_LEN];
    onig_error_code_to_str(message, rc);
    mrb_raisef(mrb, regexp_error, "%s", (const char *)message);
  }
  mrb_value offsets = mrb_ary_new_capa(mrb, shared_region->num_regs * 2);
  for (int i = 0; i < shared_region->num_regs; i++) {
    mrb_ary_push(mrb, offsets, mrb_fixnum_value(shared_region->beg[i]));
    mrb_ary_push(mrb, offsets, mrb_fixnum_value(shared_region->end[i]));
  }
  mrb_value frozen = mrb_str_dup(mrb, str);
  mrb_obj_freeze(mrb, frozen);
  mrb_value match = mrb_obj_value(mrb_obj_alloc(mrb, MRB_TT_OBJECT, match_data_class));
  mrb_iv_set(mrb, match, mrb_intern_lit(mrb, "@regexp"), self);
  mrb_iv_set(mrb, match, mrb_intern_lit(mrb, "@string"), frozen);
  mrb_iv_set(mrb, match, mrb_intern_lit(mrb, "@offsets"), offsets);
  return match;
}

/* Regexp.__set_last_match(match): $~ and the globals derived from it ($&,
 * $`, $', $+, $1..$9), all nil when `match` is nil. mruby reads $1 and the
 * others as plain globals, so they are set here rather than computed. */
static mrb_value regexp_set_last_match(mrb_state *mrb, mrb_value self) {
  (void)self;
  mrb_value match;
  mrb_get_args(mrb, "o", &match);
  mrb_gv_set(mrb, mrb_intern_lit(mrb, "$~"), match);
  static const char *const names[] = {"$&", "$`", "$'", "$+", "$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9"};
  if (mrb_nil_p(match)) {
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
      mrb_gv_set(mrb, mrb_intern_cstr(mrb, names[i]), mrb_nil_value());
    }
    return match;
  }
  mrb_value values = mrb_funcall_argv(mrb, match, mrb_intern_lit(mrb, "__globals"), 0, NULL);
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    mrb_gv_set(mrb, mrb_intern_cstr(mrb, names[i]), mrb_ary_entry(values, (mrb_int)i));
  }
  return match;
}

void kobako_regexp_init(mrb_state *mrb) {
  OnigEncoding encodings[] = {ONIG_ENCODING_UTF8};
  onig_initialize(encodings, 1);
  regexp_class = mrb_define_class(mrb, "Regexp", mrb->object_class);
  MRB_SET_INSTANCE_TT(regexp_class, MRB_TT_CDATA);
  regexp_error = mrb_define_class(mrb, "RegexpError", mrb->eStandardError_class);
  timeout_error = mrb_define_class_under(mrb, regexp_class, "TimeoutError", regexp_error);
  match_data_class = mrb_define_class(mrb, "MatchData", mrb->object_class);
  mrb_define_const(mrb, regexp_class, "IGNORECASE", mrb_fixnum_value(OPT_IGNORECASE));
  mrb_define_const(mrb, regexp_class, "EXTENDED", mrb_fixnum_value(OPT_EXTENDED));
  mrb_define_const(mrb, regexp_class, "MULTILINE", mrb_fixnum_value(OPT_MULTILINE));
  mrb_define_method(mrb, regexp_class, "__compile", regexp_compile, MRB_ARGS_REQ(2));
  mrb_define_method(mrb, regexp_class, "__search", regexp_search, MRB_ARGS_ARG(2, 1));
  mrb_define_class_method(mrb, regexp_class, "__set_last_match", regexp_set_last_match, MRB_ARGS_REQ(1));
}
