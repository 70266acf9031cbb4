/* cpu: the CPU-bound control. Pure user-space arithmetic (xorshift64), no system calls in the window,
 * so its rate only moves with the CPU time a thread gets and with emulation overhead (TCG's exclusive
 * sections, per-vCPU timer ticks). One op = 4096 xorshift64 steps. Kernel: only the timer tick
 * (tick_sched_timer -> scheduler_tick) and host preemptions touch it. */
#include "harness.h"

const char *ecskit_name = "cpu";

int ecskit_workers(int threads) { return threads; }
int ecskit_setup(int threads) { (void)threads; return 0; }

static volatile unsigned long long sink[ECSKIT_MAX_THREADS * 8];

void ecskit_work(int id, int threads)
{
	unsigned long long x = 0x9E3779B97F4A7C15ULL ^ (unsigned long long)(id + 1);
	unsigned long local = 0;
	int i;

	(void)threads;
	while (!ecskit_stopped()) {
		for (i = 0; i < 4096; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		sink[id * 8] = x;
		ecskit_count(id, &local);
	}
}
