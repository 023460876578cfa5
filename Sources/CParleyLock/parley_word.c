#include "parley_word.h"
#include "parley_line.h"

#include <stdatomic.h>
#include <stdlib.h>

struct pl_word {
  _Atomic uint64_t value;
};

pl_word *pl_word_create(uint64_t value) {
  pl_word *word = pl_line_alloc(sizeof(pl_word));
  if (word == NULL) return NULL;
  atomic_init(&word->value, value);
  return word;
}

void pl_word_destroy(pl_word *word) { free(word); }

uint64_t pl_word_load(const pl_word *word) {
  return atomic_load_explicit((_Atomic uint64_t *)&word->value, memory_order_acquire);
}

void pl_word_store(pl_word *word, uint64_t value) {
  atomic_store_explicit(&word->value, value, memory_order_release);
}

uint64_t pl_word_add(pl_word *word, uint64_t amount) {
  return atomic_fetch_add_explicit(&word->value, amount, memory_order_relaxed) + amount;
}
