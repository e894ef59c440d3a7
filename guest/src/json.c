#include "json.h"

kobako_json_classes kobako_json;

mrb_int kobako_json_nesting_limit(mrb_int requested) {
  if (requested <= 0 || requested > KOBAKO_JSON_HARD_NESTING) {
    return KOBAKO_JSON_HARD_NESTING;
  }
  return requested;
}

void kobako_json_init(mrb_state *mrb) {
  /* The hierarchy of CRuby's json: JSONError < StandardError, ParserError and
   * GeneratorError < JSONError, NestingError < ParserError. */
  struct RClass *json = mrb_define_module(mrb, "JSON");
  struct RClass *base = mrb_define_class_under(mrb, json, "JSONError", mrb->eStandardError_class);
  kobako_json.module = json;
  kobako_json.parser_error = mrb_define_class_under(mrb, json, "ParserError", base);
  kobako_json.nesting_error = mrb_define_class_under(mrb, json, "NestingError", kobako_json.parser_error);
  kobako_json.generator_error = mrb_define_class_under(mrb, json, "GeneratorError", base);
  kobako_json_parse_init(mrb);
  kobako_json_generate_init(mrb);
}
