/* JSON for scripts: JSON.parse and JSON.generate (src/json_parse.c,
 * src/json_generate.c); the keyword surface and #to_json are in
 * ruby/json.rb. Behaviour follows CRuby's json library. */
#ifndef KOBAKO_JSON_H
#define KOBAKO_JSON_H

#include <mruby.h>

/* CRuby's default max_nesting; also the cap when a script turns the limit
 * off (the parser and generator recurse on the C stack). */
#define KOBAKO_JSON_DEFAULT_NESTING 100
#define KOBAKO_JSON_HARD_NESTING 10000

typedef struct {
  struct RClass *module;          /* JSON */
  struct RClass *parser_error;    /* JSON::ParserError */
  struct RClass *nesting_error;   /* JSON::NestingError */
  struct RClass *generator_error; /* JSON::GeneratorError */
} kobako_json_classes;

extern kobako_json_classes kobako_json;

/* Defines JSON, its error classes and the C halves of parse/generate. */
void kobako_json_init(mrb_state *mrb);
void kobako_json_parse_init(mrb_state *mrb);
void kobako_json_generate_init(mrb_state *mrb);

/* The nesting limit a script asked for: 0 or less (CRuby's "off") becomes
 * the hard cap, and so does anything above it. */
mrb_int kobako_json_nesting_limit(mrb_int requested);

#endif
