/* Regexp and MatchData on Oniguruma (Ruby syntax, UTF-8); the Ruby-level
 * surface (String#sub, #scan, MatchData#[] ...) is in ruby/regexp.rb. */
#ifndef KOBAKO_REGEXP_H
#define KOBAKO_REGEXP_H

#include <mruby.h>

/* Retry limits that bound a pathological pattern: exceeding one raises
 * Regexp::TimeoutError (like CRuby's Regexp.timeout) instead of running
 * until the invocation's timeout. */
#define KOBAKO_REGEXP_RETRY_LIMIT_IN_MATCH 1000000UL
#define KOBAKO_REGEXP_RETRY_LIMIT_IN_SEARCH 10000000UL

void kobako_regexp_init(mrb_state *mrb);

#endif
