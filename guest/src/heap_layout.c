/* See heap_layout.h. Two allocators decide where an invocation's writes
 * land: mruby's object pages (a free slot list per page, refilled by the
 * sweep in address order, so new objects fill the holes the collection
 * left) and malloc (dlmalloc, which serves a request from any free
 * fragment large enough before it cuts into the untouched top of the heap).
 * After a snapshot both hand out addresses spread over hundreds of KiB. */
#include "heap_layout.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* Room for one object page: MRB_HEAP_PAGE_SIZE slots of an RVALUE (20 bytes
 * on wasm32; 24 leaves slack) and the page header. */
#define OBJECT_PAGE_ROOM ((size_t)1024 * 24 + 64)

/* Larger than any fragment a snapshot leaves: a request of this size can
 * only come from the top of the heap, so its address is where the top
 * begins. */
#define TOP_PROBE ((size_t)128 * 1024)

/* The most take_fragments takes, whatever the allocator does. */
#define TAKE_LIMIT ((size_t)2 * 1024 * 1024)

/* Gives the collector one fresh page at the head of its allocation list:
 * its slots are handed out in address order, so a short invocation's
 * objects share a page or two. The page is never freed (mruby keeps region
 * pages). False when there is
 * no room for it, or it does not fit OBJECT_PAGE_ROOM. */
static bool add_fresh_object_page(mrb_state *mrb) {
  void *room = mrb_malloc_simple(mrb, OBJECT_PAGE_ROOM);
  if (room == NULL) {
    return false;
  }
  if (mrb_gc_add_region(mrb, room, OBJECT_PAGE_ROOM) != 1) {
    mrb_free(mrb, room);
    return false;
  }
  return true;
}

/* The fragments take_fragments keeps, reachable so that a leak checker
 * does not report them. */
static void **kept_fragments;

/* Allocates every free fragment below the top of the heap and keeps it
 * (the fragments are threaded into a list through their first word, so
 * nothing refers to them from outside): later requests then come from the
 * top, one after another. The fragments cost no new memory: they are
 * already part of the image. */
static void take_fragments(void) {
  void *probe = malloc(TOP_PROBE);
  if (probe == NULL) {
    return;
  }
  uintptr_t top = (uintptr_t)probe;
  free(probe);
  void **kept = NULL;
  size_t taken = 0;
  for (size_t size = TOP_PROBE / 2; size >= sizeof(void *); size /= 2) {
    for (;;) {
      /* The cap only matters for an allocator unlike wasi-libc's (one that
       * places a large request elsewhere than the top, so every block looks
       * like a fragment): the image's heap has far less free memory. */
      void **block = taken < TAKE_LIMIT ? malloc(size) : NULL;
      if (block == NULL) {
        break;
      }
      taken += size;
      if ((uintptr_t)block >= top) {
        free(block);
        break;
      }
      *block = kept;
      kept = block;
    }
  }
  kept_fragments = kept;
}

bool kobako_heap_pack(mrb_state *mrb) {
  bool added = add_fresh_object_page(mrb);
  take_fragments();
  return added;
}
