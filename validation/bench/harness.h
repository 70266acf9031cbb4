/* eCS Lab real-guest measurement kit: common harness of the benchmarks (see ../README.md).
 *
 * Every benchmark binary is run as `ecs-<name> THREADS SECONDS`: it sets up, starts THREADS worker
 * threads (hackbench: 2 x THREADS, senders and receivers) that block until the host says go, prints
 * "ECSKIT READY ..." on stdout and waits for a line on stdin. On that line it reads /proc/stat, releases
 * the workers, sleeps SECONDS (CLOCK_MONOTONIC, absolute), snapshots the per-thread op counters, prints
 * "ECSKIT END" at once (the host reads its per-thread context-switch counters on that line), waits for
 * a second line (the host's ack, sent once it has read them), then prints "ECSKIT RESULT ..." with the ops counted inside the window and the steal share seen in /proc/stat.
 * With `-n` as the first argument it does not wait for a line (for trying a binary by hand). */
#ifndef ECSKIT_HARNESS_H
#define ECSKIT_HARNESS_H

#include <stdatomic.h>

#define ECSKIT_MAX_THREADS 256

/* One cache line per thread, so counting does not itself contend. */
struct ecskit_counter {
	_Atomic unsigned long n;
	char pad[64 - sizeof(unsigned long)];
};

extern struct ecskit_counter ecskit_ops[ECSKIT_MAX_THREADS];
extern atomic_int ecskit_stop;

/* Defined by each benchmark. */
extern const char *ecskit_name;
/* Number of worker threads for `threads` requested (hackbench: 2 x threads). */
int ecskit_workers(int threads);
/* Process-wide setup before the workers start; returns 0 or exits with a message. */
int ecskit_setup(int threads);
/* Worker body: loop until ecskit_stop, after each op call ecskit_count(id). */
void ecskit_work(int id, int threads);

static inline void ecskit_count(int id, unsigned long *local)
{
	atomic_store_explicit(&ecskit_ops[id].n, ++*local, memory_order_relaxed);
}

static inline int ecskit_stopped(void)
{
	return atomic_load_explicit(&ecskit_stop, memory_order_relaxed);
}

void ecskit_die(const char *what);

#endif
