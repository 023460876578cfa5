/*
 * The write-ahead log in runs: a SQLite VFS over the default one.
 *
 * WHY
 * SQLite writes each frame of the log with two calls, its 24-byte header and
 * then the page. As frames are not page-aligned, each call also makes the
 * kernel find, fill and mark dirty two of the file's pages. For the SQLite
 * store's one writer, that was a quarter of its time in the benchmark
 * (docs/performance.md). Here a transaction's consecutive writes to the log
 * are gathered in memory and given to the file in writes of up to 64 KiB.
 *
 * WHEN THE BYTES REACH THE FILE
 * The same bytes reach the same offsets as without this VFS. Only the moment
 * changes, and only inside these bounds:
 * 1. By the write of a commit frame's header. SQLite announces a
 *    transaction to readers (in the shared log index) only after its
 *    frames are written, so no reader, in this process or another, is sent
 *    to a frame still in memory; and a failed write fails the commit, as it
 *    would have. From that header until the write lock is let go, or the
 *    next transaction's first frame, every write goes straight through:
 *    what SQLite writes after a commit frame (the commit frame's page, the
 *    checksums it rewrites after a transaction overwrote frames, the frames
 *    that pad the log to a sector) is announced with the commit.
 * 2. Before anything else reads or changes the log file: a read that reaches
 *    the gathered bytes' offsets, a size, a sync, a truncation, a file
 *    control, a close.
 * 3. Before the connection lets go of the log's write lock (or, in
 *    exclusive locking mode, of its database file's lock). Only the holder
 *    of that lock writes frames, so gathered bytes never outlive it: they
 *    can't land later over frames another connection wrote in the meantime
 *    (after a rollback, say, which writes nothing that SQLite would tell us).
 *    By then they can only be frames of a transaction that did not commit.
 *
 * A run that fails to reach the file leaves the log failing: every later
 * call on it fails too, until the write lock is let go. SQLite itself rolls
 * the transaction back on an I/O error and keeps the connection failing
 * until then (tested with failing writes, LogVFSFaultTests); the log does
 * the same on its own, so that no later call can commit, or read, frames
 * that never reached the file, whatever its caller does.
 *
 * Only files SQLite opens as a main database or a log are wrapped: the log
 * for (1) and (2), its database for the lock calls of (3), which SQLite makes
 * on the database's file. Journals and temporary files are the default VFS's
 * own, with no wrapper in between.
 */

#include "parley_wal.h"

#include <pthread.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mman.h>

enum {
  /* A frame's header: page number, database size after a commit (else 0),
   * salts and checksums. */
  PL_FRAME_HEADER = 24,
  /* The largest run gathered: a full batch of the store's group commit
   * (about 100 frames of 4 KiB) fits with room to spare. */
  PL_RUN_CAPACITY = 1 << 20,
  /* The most one write hands the real VFS: SQLite's unix VFS writes at most
   * 128 KiB - 1 bytes a call (and reports a disk full past that). Writes
   * end on multiples of it in the file, so each fills whole pages. */
  PL_WRITE_CHUNK = 1 << 16,
  /* The log's write lock is the first of the shared-memory locks. */
  PL_WRITE_LOCK = 0,
};

typedef struct pl_log pl_log;

/* A main database's file: the real file, and its log while that is open. */
typedef struct pl_database {
  sqlite3_file base;
  sqlite3_file *real;
  pl_log *log;
} pl_database;

/* A log's file and the run gathered for it. */
struct pl_log {
  sqlite3_file base;
  sqlite3_file *real;
  pl_database *database; /* NULL when its database was not opened here */
  unsigned char *run;    /* PL_RUN_CAPACITY bytes, allocated at the first write */
  sqlite3_int64 run_offset;
  int run_length;
  int through; /* a commit frame's header was written: no gathering */
  int failed;  /* a run did not reach the file: fail until the lock goes */
  pl_wal_stats stats;
};

/* SQLite allocates szOsFile bytes per file: the wrapper, then the real file. */
typedef union pl_wrapper {
  pl_database database;
  pl_log log;
} pl_wrapper;

#define PL_WRAPPER_SIZE ((int)((sizeof(pl_wrapper) + 15) & ~(size_t)15))

static sqlite3_file *pl_real_part(sqlite3_file *file) {
  return (sqlite3_file *)((char *)file + PL_WRAPPER_SIZE);
}

static sqlite3_vfs *pl_real_vfs(sqlite3_vfs *vfs) { return (sqlite3_vfs *)vfs->pAppData; }

/* --- The log ------------------------------------------------------------------ */

/* Whether a frame header marks a commit: its second word, big-endian, is the
 * database's size in pages after the commit, and zero on other frames. */
static int pl_header_commits(const void *header) {
  const unsigned char *bytes = header;
  return (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0;
}

/* The run's memory comes straight from the OS, not from malloc: only the
 * pages a run reaches are ever resident, and freeing it leaves malloc as it
 * was. With the run from sqlite3_malloc, the benchmark's resident memory
 * after its durable phase was 25-35 MiB higher than without this VFS in
 * three runs, the live heap the same; from mmap it was not. */
static unsigned char *pl_run_create(void) {
  void *run =
      mmap(NULL, PL_RUN_CAPACITY, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return run == MAP_FAILED ? NULL : run;
}

static void pl_run_destroy(unsigned char *run) {
  if (run != NULL) munmap(run, PL_RUN_CAPACITY);
}

static int pl_log_flush(pl_log *log) {
  if (log->failed) return SQLITE_IOERR_WRITE;
  int length = log->run_length;
  /* Emptied first: after a failed write the bytes belong to a transaction
   * SQLite is failing, and must not be written later. */
  log->run_length = 0;
  int done = 0;
  while (done < length) {
    sqlite3_int64 offset = log->run_offset + done;
    int chunk = PL_WRITE_CHUNK - (int)(offset % PL_WRITE_CHUNK);
    if (chunk > length - done) chunk = length - done;
    log->stats.writes_made += 1;
    int rc = log->real->pMethods->xWrite(log->real, log->run + done, chunk, offset);
    if (rc != SQLITE_OK) {
      log->failed = 1;
      return rc;
    }
    done += chunk;
  }
  return SQLITE_OK;
}

/* The run written (or, when it cannot be, dropped) as the write lock goes:
 * what is left then belongs to a transaction that did not commit, so a
 * failure loses nothing SQLite kept. The log starts afresh. */
static void pl_log_release(pl_log *log) {
  (void)pl_log_flush(log);
  log->run_length = 0;
  log->through = 0;
  log->failed = 0;
}

/* The first failure of a flush made outside a write, as a write error: a
 * full disk met while reading must still fail the whole transaction. */
static int pl_log_flush_before(pl_log *log) {
  int rc = pl_log_flush(log);
  return rc == SQLITE_OK ? rc : SQLITE_IOERR_WRITE;
}

static int pl_log_write(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset) {
  pl_log *log = (pl_log *)file;
  if (log->failed) return SQLITE_IOERR_WRITE;
  log->stats.writes_asked += 1;
  log->stats.bytes += amount;
  int header = amount == PL_FRAME_HEADER;
  int commits = header && pl_header_commits(data);
  /* A frame that does not commit, after a commit: the next transaction's
   * (in exclusive locking mode, where the lock is kept), or a checksum
   * rewritten before its commit frame's. Gathering may start again. */
  if (header && !commits) log->through = 0;

  if (log->run_length > 0 && (log->through || offset != log->run_offset + log->run_length ||
                              amount > PL_RUN_CAPACITY - log->run_length)) {
    int rc = pl_log_flush(log);
    if (rc != SQLITE_OK) return rc;
  }
  if (log->run == NULL && amount <= PL_WRITE_CHUNK) {
    log->run = pl_run_create();
  }
  if (log->through || log->run == NULL || amount > PL_WRITE_CHUNK) {
    /* After a commit frame's header (bound 1), or with no room to gather
     * (or no memory for it): straight through. */
    log->stats.writes_made += 1;
    int rc = log->real->pMethods->xWrite(log->real, data, amount, offset);
    if (rc != SQLITE_OK) log->failed = 1;
    return rc;
  }
  if (log->run_length == 0) log->run_offset = offset;
  memcpy(log->run + log->run_length, data, (size_t)amount);
  log->run_length += amount;
  if (!commits) return SQLITE_OK;
  log->stats.commit_runs += 1;
  log->through = 1;
  return pl_log_flush(log);
}

static int pl_log_read(sqlite3_file *file, void *data, int amount, sqlite3_int64 offset) {
  pl_log *log = (pl_log *)file;
  if (log->failed || (log->run_length > 0 && offset + amount > log->run_offset)) {
    int rc = pl_log_flush_before(log);
    if (rc != SQLITE_OK) return rc;
  }
  return log->real->pMethods->xRead(log->real, data, amount, offset);
}

static int pl_log_truncate(sqlite3_file *file, sqlite3_int64 size) {
  pl_log *log = (pl_log *)file;
  int rc = pl_log_flush_before(log);
  if (rc != SQLITE_OK) return rc;
  return log->real->pMethods->xTruncate(log->real, size);
}

static int pl_log_sync(sqlite3_file *file, int flags) {
  pl_log *log = (pl_log *)file;
  int rc = pl_log_flush_before(log);
  if (rc != SQLITE_OK) return rc;
  return log->real->pMethods->xSync(log->real, flags);
}

static int pl_log_file_size(sqlite3_file *file, sqlite3_int64 *size) {
  pl_log *log = (pl_log *)file;
  int rc = pl_log_flush_before(log);
  if (rc != SQLITE_OK) return rc;
  return log->real->pMethods->xFileSize(log->real, size);
}

static int pl_log_close(sqlite3_file *file) {
  pl_log *log = (pl_log *)file;
  int flushed = pl_log_flush(log);
  if (log->database != NULL) log->database->log = NULL;
  pl_run_destroy(log->run);
  log->run = NULL;
  int closed = log->real->pMethods->xClose(log->real);
  return flushed != SQLITE_OK ? flushed : closed;
}

/* File controls are rare on a log; one might grow or read the file (a size
 * hint writes past its end), so the run goes first, as for any other call. */
static int pl_log_file_control(sqlite3_file *file, int op, void *arg) {
  pl_log *log = (pl_log *)file;
  int rc = pl_log_flush_before(log);
  if (rc != SQLITE_OK) return rc;
  return log->real->pMethods->xFileControl(log->real, op, arg);
}

/* --- Calls passed through, for both kinds of file --------------------------- */

/* Both wrappers keep the real file right after `base`. */
static sqlite3_file *pl_real(sqlite3_file *file) { return ((pl_database *)file)->real; }

static int pl_lock(sqlite3_file *file, int level) {
  sqlite3_file *real = pl_real(file);
  return real->pMethods->xLock(real, level);
}

static int pl_unlock(sqlite3_file *file, int level) {
  sqlite3_file *real = pl_real(file);
  return real->pMethods->xUnlock(real, level);
}

static int pl_check_reserved_lock(sqlite3_file *file, int *reserved) {
  sqlite3_file *real = pl_real(file);
  return real->pMethods->xCheckReservedLock(real, reserved);
}

static int pl_sector_size(sqlite3_file *file) {
  sqlite3_file *real = pl_real(file);
  return real->pMethods->xSectorSize(real);
}

static int pl_device_characteristics(sqlite3_file *file) {
  sqlite3_file *real = pl_real(file);
  return real->pMethods->xDeviceCharacteristics(real);
}

static int pl_shm_map(sqlite3_file *file, int region, int size, int extend, void volatile **p) {
  sqlite3_file *real = pl_real(file);
  if (real->pMethods->iVersion < 2) return SQLITE_IOERR_SHMMAP;
  return real->pMethods->xShmMap(real, region, size, extend, p);
}

static int pl_shm_lock(sqlite3_file *file, int offset, int n, int flags) {
  sqlite3_file *real = pl_real(file);
  if (real->pMethods->iVersion < 2) return SQLITE_IOERR_SHMLOCK;
  return real->pMethods->xShmLock(real, offset, n, flags);
}

static void pl_shm_barrier(sqlite3_file *file) {
  sqlite3_file *real = pl_real(file);
  if (real->pMethods->iVersion >= 2) real->pMethods->xShmBarrier(real);
}

static int pl_shm_unmap(sqlite3_file *file, int delete_flag) {
  sqlite3_file *real = pl_real(file);
  if (real->pMethods->iVersion < 2) return SQLITE_OK;
  return real->pMethods->xShmUnmap(real, delete_flag);
}

static int pl_fetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **p) {
  sqlite3_file *real = pl_real(file);
  if (real->pMethods->iVersion < 3) {
    *p = NULL; /* no memory map: SQLite reads instead */
    return SQLITE_OK;
  }
  return real->pMethods->xFetch(real, offset, amount, p);
}

static int pl_unfetch(sqlite3_file *file, sqlite3_int64 offset, void *p) {
  sqlite3_file *real = pl_real(file);
  if (real->pMethods->iVersion < 3) return SQLITE_OK;
  return real->pMethods->xUnfetch(real, offset, p);
}

/* --- The database ------------------------------------------------------------- */

static int pl_database_read(sqlite3_file *file, void *data, int amount, sqlite3_int64 offset) {
  sqlite3_file *real = pl_real(file);
  return real->pMethods->xRead(real, data, amount, offset);
}

static int pl_database_write(sqlite3_file *file, const void *data, int amount,
                             sqlite3_int64 offset) {
  sqlite3_file *real = pl_real(file);
  return real->pMethods->xWrite(real, data, amount, offset);
}

static int pl_database_truncate(sqlite3_file *file, sqlite3_int64 size) {
  sqlite3_file *real = pl_real(file);
  return real->pMethods->xTruncate(real, size);
}

static int pl_database_sync(sqlite3_file *file, int flags) {
  sqlite3_file *real = pl_real(file);
  return real->pMethods->xSync(real, flags);
}

static int pl_database_file_size(sqlite3_file *file, sqlite3_int64 *size) {
  sqlite3_file *real = pl_real(file);
  return real->pMethods->xFileSize(real, size);
}

static int pl_database_close(sqlite3_file *file) {
  pl_database *database = (pl_database *)file;
  if (database->log != NULL) database->log->database = NULL;
  return database->real->pMethods->xClose(database->real);
}

/* Bound 3: the run is written before the log's write lock is let go. */
static int pl_database_shm_lock(sqlite3_file *file, int offset, int n, int flags) {
  pl_database *database = (pl_database *)file;
  if ((flags & SQLITE_SHM_UNLOCK) && offset <= PL_WRITE_LOCK && PL_WRITE_LOCK < offset + n &&
      database->log != NULL) {
    pl_log_release(database->log);
  }
  return pl_shm_lock(file, offset, n, flags);
}

/* Bound 3 in exclusive locking mode, where SQLite keeps the log's write
 * lock and lets go of the database file's lock instead. */
static int pl_database_unlock(sqlite3_file *file, int level) {
  pl_database *database = (pl_database *)file;
  if (database->log != NULL) pl_log_release(database->log);
  return database->real->pMethods->xUnlock(database->real, level);
}

static int pl_database_file_control(sqlite3_file *file, int op, void *arg) {
  pl_database *database = (pl_database *)file;
  sqlite3_file *real = database->real;
  if (op == PL_WAL_FCNTL_STATS) {
    pl_wal_stats *stats = arg;
    if (database->log == NULL) {
      memset(stats, 0, sizeof *stats);
    } else {
      *stats = database->log->stats;
    }
    return SQLITE_OK;
  }
  int rc = real->pMethods->xFileControl(real, op, arg);
  if (op == SQLITE_FCNTL_VFSNAME) {
    /* Name the stack, as SQLite's own shims do: "parley-wal/unix". */
    char **name = arg;
    if (rc == SQLITE_OK) {
      *name = sqlite3_mprintf("%s/%z", PL_WAL_VFS_NAME, *name);
    } else if (rc == SQLITE_NOTFOUND) {
      *name = sqlite3_mprintf("%s/", PL_WAL_VFS_NAME);
      rc = SQLITE_OK;
    }
  }
  return rc;
}

static const sqlite3_io_methods pl_log_methods = {
    3,
    pl_log_close,
    pl_log_read,
    pl_log_write,
    pl_log_truncate,
    pl_log_sync,
    pl_log_file_size,
    pl_lock,
    pl_unlock,
    pl_check_reserved_lock,
    pl_log_file_control,
    pl_sector_size,
    pl_device_characteristics,
    pl_shm_map,
    pl_shm_lock,
    pl_shm_barrier,
    pl_shm_unmap,
    pl_fetch,
    pl_unfetch,
};

static const sqlite3_io_methods pl_database_methods = {
    3,
    pl_database_close,
    pl_database_read,
    pl_database_write,
    pl_database_truncate,
    pl_database_sync,
    pl_database_file_size,
    pl_lock,
    pl_database_unlock,
    pl_check_reserved_lock,
    pl_database_file_control,
    pl_sector_size,
    pl_device_characteristics,
    pl_shm_map,
    pl_database_shm_lock,
    pl_shm_barrier,
    pl_shm_unmap,
    pl_fetch,
    pl_unfetch,
};

/* --- The VFS ------------------------------------------------------------------ */

static int pl_vfs_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags,
                       int *out_flags) {
  sqlite3_vfs *real_vfs = pl_real_vfs(vfs);
  if ((flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)) == 0) {
    /* Not wrapped: the real file takes the whole allocation's start. */
    return real_vfs->xOpen(real_vfs, name, file, flags, out_flags);
  }
  memset(file, 0, (size_t)PL_WRAPPER_SIZE);
  sqlite3_file *real = pl_real_part(file);
  int rc = real_vfs->xOpen(real_vfs, name, real, flags, out_flags);
  if (rc != SQLITE_OK || real->pMethods == NULL) {
    if (real->pMethods != NULL) real->pMethods->xClose(real);
    file->pMethods = NULL; /* nothing left for SQLite to close */
    return rc;
  }
  if (flags & SQLITE_OPEN_MAIN_DB) {
    pl_database *database = (pl_database *)file;
    database->real = real;
    database->base.pMethods = &pl_database_methods;
  } else {
    pl_log *log = (pl_log *)file;
    log->real = real;
    log->base.pMethods = &pl_log_methods;
    /* SQLite hands a log's name to xOpen such that its database's file can
     * be found from it; the database is ours when it has our methods. */
    sqlite3_file *database = sqlite3_database_file_object(name);
    if (database != NULL && database->pMethods == &pl_database_methods) {
      log->database = (pl_database *)database;
      log->database->log = log;
    }
  }
  return rc;
}

static int pl_vfs_delete(sqlite3_vfs *vfs, const char *name, int sync_dir) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  return real->xDelete(real, name, sync_dir);
}

static int pl_vfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *result) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  return real->xAccess(real, name, flags, result);
}

static int pl_vfs_full_pathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  return real->xFullPathname(real, name, size, out);
}

static void *pl_vfs_dl_open(sqlite3_vfs *vfs, const char *path) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  return real->xDlOpen(real, path);
}

static void pl_vfs_dl_error(sqlite3_vfs *vfs, int size, char *message) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  real->xDlError(real, size, message);
}

static void (*pl_vfs_dl_sym(sqlite3_vfs *vfs, void *handle, const char *symbol))(void) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  return real->xDlSym(real, handle, symbol);
}

static void pl_vfs_dl_close(sqlite3_vfs *vfs, void *handle) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  real->xDlClose(real, handle);
}

static int pl_vfs_randomness(sqlite3_vfs *vfs, int size, char *out) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  return real->xRandomness(real, size, out);
}

static int pl_vfs_sleep(sqlite3_vfs *vfs, int microseconds) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  return real->xSleep(real, microseconds);
}

static int pl_vfs_current_time(sqlite3_vfs *vfs, double *now) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  return real->xCurrentTime(real, now);
}

static int pl_vfs_get_last_error(sqlite3_vfs *vfs, int size, char *out) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  return real->xGetLastError(real, size, out);
}

static int pl_vfs_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *now) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  return real->xCurrentTimeInt64(real, now);
}

static int pl_vfs_set_system_call(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr call) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  return real->xSetSystemCall(real, name, call);
}

static sqlite3_syscall_ptr pl_vfs_get_system_call(sqlite3_vfs *vfs, const char *name) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  return real->xGetSystemCall(real, name);
}

static const char *pl_vfs_next_system_call(sqlite3_vfs *vfs, const char *name) {
  sqlite3_vfs *real = pl_real_vfs(vfs);
  return real->xNextSystemCall(real, name);
}

static sqlite3_vfs pl_vfs;
static pthread_once_t pl_vfs_once = PTHREAD_ONCE_INIT;
static int pl_vfs_registered = SQLITE_ERROR;

static void pl_vfs_register_once(void) {
  sqlite3_vfs *real = sqlite3_vfs_find(NULL);
  if (real == NULL) return;
  int version = real->iVersion < 3 ? real->iVersion : 3;
  pl_vfs = (sqlite3_vfs){
      .iVersion = version,
      .szOsFile = PL_WRAPPER_SIZE + real->szOsFile,
      .mxPathname = real->mxPathname,
      .zName = PL_WAL_VFS_NAME,
      .pAppData = real,
      .xOpen = pl_vfs_open,
      .xDelete = pl_vfs_delete,
      .xAccess = pl_vfs_access,
      .xFullPathname = pl_vfs_full_pathname,
      .xDlOpen = pl_vfs_dl_open,
      .xDlError = pl_vfs_dl_error,
      .xDlSym = pl_vfs_dl_sym,
      .xDlClose = pl_vfs_dl_close,
      .xRandomness = pl_vfs_randomness,
      .xSleep = pl_vfs_sleep,
      .xCurrentTime = pl_vfs_current_time,
      .xGetLastError = pl_vfs_get_last_error,
      .xCurrentTimeInt64 = version >= 2 ? pl_vfs_current_time_int64 : NULL,
      .xSetSystemCall = version >= 3 ? pl_vfs_set_system_call : NULL,
      .xGetSystemCall = version >= 3 ? pl_vfs_get_system_call : NULL,
      .xNextSystemCall = version >= 3 ? pl_vfs_next_system_call : NULL,
  };
  pl_vfs_registered = sqlite3_vfs_register(&pl_vfs, 0);
}

int pl_wal_register(void) {
  pthread_once(&pl_vfs_once, pl_vfs_register_once);
  return pl_vfs_registered;
}
