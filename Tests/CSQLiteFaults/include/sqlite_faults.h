#ifndef SQLITE_FAULTS_H
#define SQLITE_FAULTS_H

#include <stdint.h>

/*
 * Writes that fail, for tests of what SQLite and the store's VFS do when the
 * disk does: SQLite's unix VFS lets a process replace the system calls it
 * makes (xSetSystemCall), and the replacements here fail the writes to one
 * chosen file once a number of them have passed. Every other file's writes
 * go through untouched, so tests running beside these are not disturbed.
 */

/* Puts the replacements in place, once per process. Returns a SQLite result
 * code. */
int sqlite_faults_install(void);

/* From now on, the writes to the file at `path` (which must exist) fail
 * with `error_number`: after `passing` more of them have gone through, the
 * next `failing` fail, and the rest go through again. Returns 0, or -1 with
 * errno set when the file cannot be found. */
int sqlite_faults_arm(const char *path, int passing, int failing, int error_number);

/* Every write goes through again. */
void sqlite_faults_disarm(void);

/* How many writes have failed since the process started. */
int64_t sqlite_faults_failed(void);

#endif
