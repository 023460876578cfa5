#ifndef PARLEY_LINE_H
#define PARLEY_LINE_H

#include <stdlib.h>

/* Memory for what threads share, on cache lines of its own: a neighbour's
 * writes must not take the line away from the threads that use it. Free it
 * with free(). (Private to CParleyLock: not in include/.) */
static inline void *pl_line_alloc(size_t size) {
  enum { LINE = 64 };
  return aligned_alloc(LINE, (size + LINE - 1) / LINE * LINE);
}

#endif
