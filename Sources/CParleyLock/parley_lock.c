#include "parley_lock.h"
#include "parley_line.h"

#include <pthread.h>
#include <stdlib.h>

/*
 * The spin: PL_SPIN_TRIES tries at the lock, PL_SPIN_PAUSES pause hints
 * apart. A pause takes 12-14 ns on the 2-core CI machines, so a waiter
 * spins for up to about 20 µs: several times the store's longest usual
 * section, and well under a sleep and a wake-up on those machines. A holder
 * that lost its CPU keeps a waiter spinning no longer than that.
 *
 * Between tries the waiter only pauses; trying takes the mutex's cache line
 * from the holder, who needs it to let go.
 */
enum { PL_SPIN_TRIES = 100, PL_SPIN_PAUSES = 16 };

struct pl_lock {
  pthread_mutex_t mutex;
  pthread_cond_t condition;
};

static unsigned long long waited_count;
static unsigned long long slept_count;

static inline void pl_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  __asm__ __volatile__("yield" ::: "memory");
#else
  __asm__ __volatile__("" ::: "memory");
#endif
}

pl_lock *pl_lock_create(void) {
  pl_lock *lock = pl_line_alloc(sizeof(pl_lock));
  if (lock == NULL) return NULL;
  if (pthread_mutex_init(&lock->mutex, NULL) != 0) {
    free(lock);
    return NULL;
  }
  if (pthread_cond_init(&lock->condition, NULL) != 0) {
    pthread_mutex_destroy(&lock->mutex);
    free(lock);
    return NULL;
  }
  return lock;
}

void pl_lock_destroy(pl_lock *lock) {
  if (lock == NULL) return;
  pthread_cond_destroy(&lock->condition);
  pthread_mutex_destroy(&lock->mutex);
  free(lock);
}

void pl_lock_acquire(pl_lock *lock) {
  if (pthread_mutex_trylock(&lock->mutex) == 0) return;
  __atomic_fetch_add(&waited_count, 1, __ATOMIC_RELAXED);
  for (int try = 0; try < PL_SPIN_TRIES; try++) {
    for (int pause = 0; pause < PL_SPIN_PAUSES; pause++) pl_relax();
    if (pthread_mutex_trylock(&lock->mutex) == 0) return;
  }
  __atomic_fetch_add(&slept_count, 1, __ATOMIC_RELAXED);
  pthread_mutex_lock(&lock->mutex);
}

void pl_lock_release(pl_lock *lock) { pthread_mutex_unlock(&lock->mutex); }

void pl_lock_wait(pl_lock *lock) { pthread_cond_wait(&lock->condition, &lock->mutex); }

void pl_lock_signal(pl_lock *lock) { pthread_cond_signal(&lock->condition); }

void pl_lock_broadcast(pl_lock *lock) { pthread_cond_broadcast(&lock->condition); }

pl_lock_counts pl_lock_read_counts(void) {
  pl_lock_counts counts = {
      __atomic_load_n(&waited_count, __ATOMIC_RELAXED),
      __atomic_load_n(&slept_count, __ATOMIC_RELAXED),
  };
  return counts;
}
