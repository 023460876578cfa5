#ifndef PARLEY_BOUNDARY_BASELINE_H
#define PARLEY_BOUNDARY_BASELINE_H
#include <stdint.h>

/* The boundary micro-benchmark's baseline: the same work as the Swift loop,
 * written straight against the Lua C API with no Parley in between. Loads
 * `source` (which must define the global function `reader`), then
 * `iterations` times pushes a 12-field record and calls reader(record).
 * Returns the sum of the integer results (to check both loops did the same
 * work), and stores the elapsed nanoseconds in *elapsed_ns. */
int64_t baseline_push_and_call(const char *source, int64_t iterations, int64_t *elapsed_ns);

#endif
