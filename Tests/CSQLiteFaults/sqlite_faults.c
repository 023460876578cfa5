#include "sqlite_faults.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

typedef ssize_t (*pl_pwrite_call)(int, const void *, size_t, int64_t);
typedef ssize_t (*pl_write_call)(int, const void *, size_t);

static pl_pwrite_call real_pwrite;
static pl_pwrite_call real_pwrite64;
static pl_write_call real_write;

/* The file whose writes fail, by device and inode: tests name it by path,
 * the unix VFS writes by descriptor. */
static atomic_int armed;
static _Atomic uint64_t target_device;
static _Atomic uint64_t target_inode;
static atomic_int passing;
static atomic_int failing;
static atomic_int failure_errno;
static _Atomic int64_t failed;

/* Whether this write to `fd` is one to fail. */
static int fails(int fd) {
  if (!atomic_load(&armed)) return 0;
  struct stat status;
  if (fstat(fd, &status) != 0) return 0;
  if ((uint64_t)status.st_dev != atomic_load(&target_device) ||
      (uint64_t)status.st_ino != atomic_load(&target_inode)) {
    return 0;
  }
  if (atomic_fetch_sub(&passing, 1) > 0) return 0;
  if (atomic_fetch_sub(&failing, 1) <= 0) return 0;
  atomic_fetch_add(&failed, 1);
  errno = atomic_load(&failure_errno);
  return 1;
}

static ssize_t faulty_pwrite(int fd, const void *data, size_t count, int64_t offset) {
  return fails(fd) ? -1 : real_pwrite(fd, data, count, offset);
}

static ssize_t faulty_pwrite64(int fd, const void *data, size_t count, int64_t offset) {
  return fails(fd) ? -1 : real_pwrite64(fd, data, count, offset);
}

static ssize_t faulty_write(int fd, const void *data, size_t count) {
  return fails(fd) ? -1 : real_write(fd, data, count);
}

static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static int installed = SQLITE_ERROR;

/* Each replacement takes the place of the call of its name when this SQLite
 * makes it (which of pwrite, pwrite64 and write it makes depends on how it
 * was built). The real call is kept before the replacement is in place:
 * other threads may be writing. */
static void install(void) {
  if (sqlite3_initialize() != SQLITE_OK) return;
  sqlite3_vfs *vfs = sqlite3_vfs_find("unix");
  if (vfs == NULL || vfs->iVersion < 3) return;
  int rc = SQLITE_OK;
  sqlite3_syscall_ptr current = vfs->xGetSystemCall(vfs, "pwrite");
  if (current != NULL) {
    real_pwrite = (pl_pwrite_call)current;
    rc = vfs->xSetSystemCall(vfs, "pwrite", (sqlite3_syscall_ptr)faulty_pwrite);
  }
  current = vfs->xGetSystemCall(vfs, "pwrite64");
  if (rc == SQLITE_OK && current != NULL) {
    real_pwrite64 = (pl_pwrite_call)current;
    rc = vfs->xSetSystemCall(vfs, "pwrite64", (sqlite3_syscall_ptr)faulty_pwrite64);
  }
  current = vfs->xGetSystemCall(vfs, "write");
  if (rc == SQLITE_OK && current != NULL) {
    real_write = (pl_write_call)current;
    rc = vfs->xSetSystemCall(vfs, "write", (sqlite3_syscall_ptr)faulty_write);
  }
  installed = rc;
}

int sqlite_faults_install(void) {
  pthread_once(&install_once, install);
  return installed;
}

int sqlite_faults_arm(const char *path, int passes, int failures, int error_number) {
  struct stat status;
  if (stat(path, &status) != 0) return -1;
  atomic_store(&armed, 0);
  atomic_store(&target_device, (uint64_t)status.st_dev);
  atomic_store(&target_inode, (uint64_t)status.st_ino);
  atomic_store(&passing, passes);
  atomic_store(&failing, failures);
  atomic_store(&failure_errno, error_number);
  atomic_store(&armed, 1);
  return 0;
}

void sqlite_faults_disarm(void) { atomic_store(&armed, 0); }

int64_t sqlite_faults_failed(void) { return atomic_load(&failed); }
