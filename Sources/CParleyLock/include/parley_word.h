#ifndef PARLEY_WORD_H
#define PARLEY_WORD_H

#include <stdint.h>

/*
 * A 64-bit word every thread reads and adds to atomically, for what each
 * event touches once and threads would otherwise meet on a lock for: the
 * counter of decision ids, and a manual clock's time (read by every event,
 * changed by a test between them). C11 atomics, so ThreadSanitizer sees
 * them, as it does the pl_lock mutexes.
 */

/* Opaque: made by pl_word_create, on a cache line of its own. */
typedef struct pl_word pl_word;

/* A new word holding `value`, or NULL when memory could not be had. */
pl_word *pl_word_create(uint64_t value);

void pl_word_destroy(pl_word *word);

/* The word's value (an acquire load). */
uint64_t pl_word_load(const pl_word *word);

/* Sets the word (a release store). */
void pl_word_store(pl_word *word, uint64_t value);

/* Adds `amount` (wrapping) and returns the new value. */
uint64_t pl_word_add(pl_word *word, uint64_t amount);

#endif
