/* flock: every thread takes and drops an exclusive BSD lock on one shared file, through its own open
 * file description (flock locks belong to the open file, so one fd per thread is what makes them
 * contend). One op = flock(LOCK_EX) + flock(LOCK_UN).
 * Kernel (Linux 6.1, fs/locks.c): flock_lock_inode() takes percpu_down_read(&file_rwsem) and the
 * inode's spin_lock(&ctx->flc_lock); on conflict locks_insert_block() queues the request under the
 * global blocked_lock_lock spinlock and locks_lock_inode_wait() sleeps in wait_event_interruptible();
 * LOCK_UN -> locks_delete_lock_ctx() -> locks_wake_up_blocks() -> __locks_wake_up_blocks() wakes the
 * waiters (try_to_wake_up: a reschedule/wake-list IPI when the waiter's CPU is another one). */
#define _GNU_SOURCE
#include "harness.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

const char *ecskit_name = "flock";
static int fds[ECSKIT_MAX_THREADS];

int ecskit_workers(int threads) { return threads; }

int ecskit_setup(int threads)
{
	char path[64];
	int i;

	snprintf(path, sizeof(path), "/tmp/ecskit-flock-%d", (int)getpid());
	for (i = 0; i < threads; i++) {
		fds[i] = open(path, O_RDWR | O_CREAT, 0600);
		if (fds[i] < 0)
			ecskit_die("open lock file");
	}
	unlink(path);
	return 0;
}

void ecskit_work(int id, int threads)
{
	unsigned long local = 0;

	(void)threads;
	while (!ecskit_stopped()) {
		if (flock(fds[id], LOCK_EX))
			ecskit_die("flock LOCK_EX");
		if (flock(fds[id], LOCK_UN))
			ecskit_die("flock LOCK_UN");
		ecskit_count(id, &local);
	}
}
