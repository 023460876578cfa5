#ifndef PARLEY_WAL_H
#define PARLEY_WAL_H

#include <stdint.h>

/*
 * A SQLite VFS that hands the write-ahead log to the file in runs. SQLite
 * writes each frame of the log with two system calls (its 24-byte header,
 * then the page); this VFS gathers a transaction's consecutive writes in
 * memory and hands them to the file in writes of up to 64 KiB, by the write
 * of the commit frame's header at the latest. Every other file, and every
 * other call, is the underlying (default) VFS's own. See parley_wal.c for
 * when the bytes reach the file.
 */

/* The VFS's name, for sqlite3_open_v2 or a URI's `vfs=` parameter. */
#define PL_WAL_VFS_NAME "parley-wal"

/* Registers the VFS (once per process; later calls return the first
 * call's result), on top of the default VFS and without making itself the
 * default. Returns a SQLite result code. */
int pl_wal_register(void);

/* How a connection's log was written: the writes SQLite asked for, the
 * writes the file got, and how many runs were written by the write of a
 * commit frame. Asked of a database opened through the VFS with
 * sqlite3_file_control(db, "main", PL_WAL_FCNTL_STATS, &stats). */
typedef struct pl_wal_stats {
  int64_t writes_asked;
  int64_t writes_made;
  int64_t bytes;
  int64_t commit_runs;
} pl_wal_stats;

/* A file-control opcode of this VFS's own, far from SQLite's (under 100). */
#define PL_WAL_FCNTL_STATS 0x50574c01

#endif
