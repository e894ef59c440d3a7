/* The layout of the heap the snapshot leaves behind, arranged so
 * an invocation writes as few memory pages as it can: every page it writes
 * is copied back at reset, and every page it touches stays resident. */
#ifndef KOBAKO_HEAP_LAYOUT_H
#define KOBAKO_HEAP_LAYOUT_H

#include <stdbool.h>
#include <mruby.h>

/* Ends the snapshot: gives mruby an empty object page to allocate
 * from, then takes every free fragment out of malloc's reach, so the
 * objects and blocks an invocation allocates sit side by side instead of
 * in holes spread over the whole heap. Run after a full collection. False
 * when the object page could not be added (no memory, or mruby's object
 * slots outgrew the room heap_layout.c gives a page).
 *
 * A bake does not pack again: what packing writes (a fresh page's free
 * list, the headers of the fragments it takes) would differ from the image
 * and be copied into every instance the bake starts, which costs more
 * pages than the packing saves (measured: 28 written pages per `run`
 * against 22 without). */
bool kobako_heap_pack(mrb_state *mrb);

#endif
