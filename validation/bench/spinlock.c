/* spinlock: all threads write 1 to and read from one shared non-blocking eventfd. One op = write(8
 * bytes) + read(8 bytes) (a read that finds the counter drained by another thread returns EAGAIN and
 * still counts: it took the lock). Nobody sleeps on the eventfd, so no wakeups or IPIs: the path is
 * bound by one kernel spinlock.
 * Kernel (Linux 6.1, fs/eventfd.c): eventfd_write() and eventfd_read() each take
 * spin_lock_irq(&ctx->wqh.lock) (the wait-queue head's lock guards ctx->count) for a few dozen
 * instructions with interrupts off (so the guest's own tick cannot preempt the holder; only the host
 * can, by descheduling the vCPU). The guest's qspinlock is native under TCG: no PV spinlocks;
 * virt_spin_lock() (arch/x86/include/asm/qspinlock.h) makes it a test-and-set lock since QEMU sets the
 * hypervisor CPUID bit. fdget() on a shared file table also bumps file->f_count (atomic, no lock). */
#define _GNU_SOURCE
#include "harness.h"

#include <errno.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

const char *ecskit_name = "spinlock";
static int efd;

int ecskit_workers(int threads) { return threads; }
int ecskit_setup(int threads)
{
	(void)threads;
	efd = eventfd(0, EFD_NONBLOCK);
	if (efd < 0)
		ecskit_die("eventfd");
	return 0;
}

void ecskit_work(int id, int threads)
{
	unsigned long local = 0;
	uint64_t one = 1, v;

	(void)threads;
	while (!ecskit_stopped()) {
		if (write(efd, &one, sizeof(one)) != sizeof(one))
			ecskit_die("eventfd write");
		if (read(efd, &v, sizeof(v)) != sizeof(v) && errno != EAGAIN)
			ecskit_die("eventfd read");
		ecskit_count(id, &local);
	}
}
