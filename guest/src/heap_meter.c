#include "heap_meter.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <mruby.h>

/* Bytes mruby holds now, the most it held since the invocation started, and
 * what it held then. */
static size_t live;
static size_t peak;
static size_t start;

/* Replaces mruby's allocator (src/allocf.c): the same realloc and free, with
 * the usable size of each block counted. */
void *mrb_basic_alloc_func(void *p, size_t size) {
  size_t old = p == NULL ? 0 : malloc_usable_size(p);
  if (size == 0) {
    free(p);
    live -= old;
    return NULL;
  }
  void *q = realloc(p, size);
  if (q != NULL) {
    live = live - old + malloc_usable_size(q);
    if (live > peak) {
      peak = live;
    }
  }
  return q;
}

void kobako_heap_meter_start(void) {
  start = live;
  peak = live;
}

/* The most mruby's heap grew above its size when the invocation started, in
 * bytes (saturating at 4 GiB, more than wasm32 can hold). */
__attribute__((export_name("kobako_heap_growth"))) uint32_t kobako_heap_growth(void) {
  size_t growth = peak - start;
  return growth > UINT32_MAX ? UINT32_MAX : (uint32_t)growth;
}
