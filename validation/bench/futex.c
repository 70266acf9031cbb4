/* futex: all threads pass a token through one shared futex word. Each op: read the word, increment it
 * (atomic add), FUTEX_WAKE one waiter, then FUTEX_WAIT for the word to move past the value it wrote
 * (returns at once with EAGAIN if another thread already moved it). So at any time most threads sleep
 * in the kernel and every op goes through the futex hash bucket twice; a sleeping thread runs again
 * only when another thread's wake reaches it. No user-space lock, so no user-level lock-holder
 * preemption: what over-commit costs here is wakeup latency and hash-bucket lock hold times.
 * (A Drepper futex mutex was tried first: natively it stayed on the user-space fast path, ~35 M
 * ops/s/thread, i.e. it did not measure the kernel.) No deadlock: the last thread to increment woke one
 * queued waiter, and a thread not yet queued then sees a changed word and does not sleep.
 * Kernel (Linux 6.1, kernel/futex/): futex_wait() -> futex_wait_setup() -> futex_q_lock() takes the
 * hash bucket's spin_lock(&hb->lock) and re-reads the word (EAGAIN if changed), futex_wait_queue() ->
 * schedule(); futex_wake() takes hb->lock (when futex_hb_waiters_pending()), futex_wake_mark(), and
 * wake_up_q() -> try_to_wake_up() (a reschedule or wake-list IPI when the waiter's CPU is another). */
#define _GNU_SOURCE
#include "harness.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *ecskit_name = "futex";

static _Atomic int word __attribute__((aligned(64)));

int ecskit_workers(int threads) { return threads; }
int ecskit_setup(int threads) { (void)threads; return 0; }

static long sys_futex(_Atomic int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

void ecskit_work(int id, int threads)
{
	unsigned long local = 0;

	(void)threads;
	while (!ecskit_stopped()) {
		int mine = atomic_fetch_add(&word, 1) + 1;

		sys_futex(&word, FUTEX_WAKE_PRIVATE, 1);
		sys_futex(&word, FUTEX_WAIT_PRIVATE, mine);
		ecskit_count(id, &local);
	}
}
