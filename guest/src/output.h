/* The guest's only output primitive: bytes to WASI fd 1 (stdout) or 2
 * (stderr), which the host captures. */
#ifndef KOBAKO_OUTPUT_H
#define KOBAKO_OUTPUT_H

#include <mruby.h>

/* Defines Kobako.__write(fd, string) on the given module. */
void kobako_output_init(mrb_state *mrb, struct RClass *kobako);

#endif
