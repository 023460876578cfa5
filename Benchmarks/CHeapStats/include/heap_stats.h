#ifndef PARLEY_HEAP_STATS_H
#define PARLEY_HEAP_STATS_H

#include <stddef.h>

/// Bytes the allocator has handed out and not had back, over every arena
/// (glibc's mallinfo2: uordblks + hblkhd); 0 where that is not available.
/// Beside resident memory it tells growth of live data from memory the
/// allocator keeps after it was freed.
size_t heap_stats_live_bytes(void);

#endif
