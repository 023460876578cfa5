#ifndef RULE_BASELINE_H
#define RULE_BASELINE_H

/*
 * The C baseline of the engine benchmark: the same rule files over the same
 * corpus, straight on the Lua C API, with no Parley in between. Each event's
 * tables are built from C strings, every rule that listens to
 * message_posted is called with (event, ctx), and the most severe verdict
 * counts, as Parley's combiner would decide.
 */

#include <stdint.h>

enum { RB_ALLOW = 0, RB_FLAG = 1, RB_HOLD = 2, RB_REMOVE = 3, RB_VERDICTS = 4 };

typedef struct rb_result {
  int64_t events;
  int64_t verdicts[RB_VERDICTS]; /* how many events ended with each verdict */
  int64_t elapsed_ns;            /* the event loops only: not loading, not parsing */
  int64_t lua_heap_bytes;        /* the largest state's memory after the run */
  char error[512];               /* set when the run failed (return value -1) */
} rb_result;

/*
 * Runs `plugin_count` plugin folders (each with a plugin.lua manifest) over
 * the corpus file written by the benchmark (tab-separated; see
 * Sources/ParleyBench/CorpusFile.swift), on `threads` threads: each has its
 * own Lua state and takes every threads-th event, and the time runs from
 * the first thread's start to the last one's end. With more than one, it is
 * the machine's own scaling for the same Lua work, beside Parley's.
 * Returns 0, or -1 with `error` set.
 */
int rb_run(const char *corpus_path, const char *const *plugin_folders, int plugin_count,
           int threads, rb_result *result);

#endif
