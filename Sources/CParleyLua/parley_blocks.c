/*
 * parley_blocks.c — small blocks for a state's allocator, from free lists.
 *
 * Every event makes and drops Lua tables and strings of a few dozen bytes,
 * and the collector frees them in bursts as it sweeps. glibc's per-thread
 * cache keeps seven blocks of each size, so most of those frees, and the
 * allocations after them, went down its slower paths (_int_malloc and
 * malloc_consolidate were 8 % of an event). Here a block of up to
 * PL_BLOCK_MAX bytes is taken from a free list for its 16-byte size class,
 * or cut from a 64 KiB slab, and goes back to that list when Lua frees it.
 * A state belongs to one thread at a time, so the lists take no lock. The
 * slabs live as long as the state: what Lua's heap once held stays ready
 * for the next event, and the memory ceiling still counts the bytes Lua
 * asked for (pl_alloc's `used`).
 *
 * Under AddressSanitizer every block comes from malloc, so use after free
 * and overflows in Lua's memory stay visible to it.
 */

#include "parley_lua.h"

#include <stddef.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define PL_BLOCKS_ENABLED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PL_BLOCKS_ENABLED 0
#endif
#endif
#ifndef PL_BLOCKS_ENABLED
#define PL_BLOCKS_ENABLED 1
#endif

enum { PL_SLAB_BYTES = 64 * 1024 };

typedef struct pl_free_block {
  struct pl_free_block *next;
} pl_free_block;

/* A slab's header, padded so the blocks after it keep malloc's alignment. */
typedef union pl_slab {
  union pl_slab *next;
  max_align_t align;
} pl_slab;

/* The free list a small block of `size` (> 0) bytes belongs to. */
static size_t pl_block_class(size_t size) { return (size - 1) / PL_BLOCK_GRAIN; }

int pl_blocks_small(size_t size) { return PL_BLOCKS_ENABLED && size <= PL_BLOCK_MAX; }

int pl_blocks_same_class(size_t a, size_t b) { return pl_block_class(a) == pl_block_class(b); }

void *pl_blocks_take(pl_blocks *blocks, size_t size) {
  size_t class = pl_block_class(size);
  pl_free_block *block = blocks->free[class];
  if (block != NULL) {
    blocks->free[class] = block->next;
    return block;
  }
  size_t bytes = (class + 1) * PL_BLOCK_GRAIN;
  if ((size_t)(blocks->end - blocks->cursor) < bytes) {
    pl_slab *slab = malloc(PL_SLAB_BYTES);
    if (slab == NULL) return NULL;
    slab->next = blocks->slabs;
    blocks->slabs = slab;
    /* The old slab's tail (less than one block of this class) is left. */
    blocks->cursor = (char *)(slab + 1);
    blocks->end = (char *)slab + PL_SLAB_BYTES;
  }
  void *fresh = blocks->cursor;
  blocks->cursor += bytes;
  return fresh;
}

void pl_blocks_give(pl_blocks *blocks, void *ptr, size_t size) {
  size_t class = pl_block_class(size);
  pl_free_block *block = ptr;
  block->next = blocks->free[class];
  blocks->free[class] = block;
}

void pl_blocks_release(pl_blocks *blocks) {
  pl_slab *slab = blocks->slabs;
  while (slab != NULL) {
    pl_slab *next = slab->next;
    free(slab);
    slab = next;
  }
  *blocks = (pl_blocks){0};
}
