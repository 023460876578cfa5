#ifndef PARLEY_LOCK_H
#define PARLEY_LOCK_H

/*
 * CParleyLock: a mutex for the short critical sections a few threads share,
 * such as the in-memory store's tables (a few microseconds per event).
 *
 * A waiter on a pthread mutex soon sleeps, and its holder must then wake it
 * with a futex call; on a virtual machine that wake is an interrupt to
 * another CPU, which costs more than the section it waited for. A pl_lock
 * waiter first spins, with the CPU's pause hint and a try at the lock every
 * few pauses, for about as long as such a section lasts (see
 * parley_lock.c), and only then sleeps on the mutex. Each lock also has
 * one condition to wait on, as NSCondition has.
 */

/* Opaque: made by pl_lock_create, which aligns it to a cache line of its own. */
typedef struct pl_lock pl_lock;

/* A new unlocked lock, or NULL when memory or the mutex could not be had. */
pl_lock *pl_lock_create(void);

/* Frees an unlocked lock. */
void pl_lock_destroy(pl_lock *lock);

/* Waits for the lock: spins briefly, then sleeps until it is let go. */
void pl_lock_acquire(pl_lock *lock);

/* Lets go of a lock the calling thread holds. */
void pl_lock_release(pl_lock *lock);

/* The lock's one condition, as NSCondition has: pl_lock_wait lets go of the
 * lock the caller holds, sleeps until signalled (or woken spuriously), and
 * takes the lock again before it returns. */
void pl_lock_wait(pl_lock *lock);
void pl_lock_signal(pl_lock *lock);
void pl_lock_broadcast(pl_lock *lock);

/* How many times pl_lock_acquire found the lock taken and had to wait, and
 * how many of those waits ended in sleep rather than in the spin. Counted
 * over every lock of the process; for tests and benchmarks. */
typedef struct {
  unsigned long long waited;
  unsigned long long slept;
} pl_lock_counts;

pl_lock_counts pl_lock_read_counts(void);

#endif
