/* The layout of the heap a snapshot (or a bake) leaves behind, arranged so
 * an invocation writes as few memory pages as it can: every page it writes
 * is copied back at reset, and every page it touches stays resident. */
#ifndef KOBAKO_HEAP_LAYOUT_H
#define KOBAKO_HEAP_LAYOUT_H

#include <stdbool.h>
#include <mruby.h>

/* Ends a snapshot or bake: gives mruby an empty object page to allocate
 * from, then takes every free fragment out of malloc's reach, so the
 * objects and blocks an invocation allocates sit side by side instead of
 * in holes spread over the whole heap. Run after a full collection. False
 * when the object page could not be added (no memory, or mruby's object
 * slots outgrew the room heap_layout.c gives a page). */
bool kobako_heap_pack(mrb_state *mrb);

/* The malloc half of kobako_heap_pack alone, for the end of a bake: a fresh
 * object page there would be written whole into every instance the bake
 * starts (its slots' free list differs from the image), costing more pages
 * than it saves. */
void kobako_heap_take_fragments(void);

#endif
