/* eCS Lab real-guest measurement kit: the timed window shared by every benchmark (see harness.h). */
#define _GNU_SOURCE
#include "harness.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct ecskit_counter ecskit_ops[ECSKIT_MAX_THREADS];
atomic_int ecskit_stop;

static pthread_mutex_t go_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go_cond = PTHREAD_COND_INITIALIZER;
static int go;
static int g_threads;

void ecskit_die(const char *what)
{
	fprintf(stdout, "ECSKIT ERROR bench=%s %s: %s\n", ecskit_name, what, strerror(errno));
	fflush(stdout);
	_exit(2);
}

/* Aggregate "cpu" line of /proc/stat: total, steal (the 8th value), user (user + nice), system
 * (system + irq + softirq) and idle (idle + iowait) jiffies. */
struct cpu_stat {
	unsigned long long user, sys, idle;
};

static int read_cpu_stat(unsigned long long *total, unsigned long long *steal, struct cpu_stat *cs)
{
	FILE *f = fopen("/proc/stat", "r");
	unsigned long long v[10] = { 0 };
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
	fclose(f);
	if (n < 8)
		return -1;
	/* guest and guest_nice (v[8], v[9]) are already counted in user and nice. */
	*total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
	*steal = v[7];
	cs->user = v[0] + v[1];
	cs->sys = v[2] + v[5] + v[6];
	cs->idle = v[3] + v[4];
	return 0;
}

/* Interrupt counts summed over CPUs for the /proc/interrupts rows we report (x86 names): TLB
 * shootdowns, rescheduling IPIs, function-call IPIs (smp_call_function), local timer interrupts; and
 * the "ctxt" line (context switches) of /proc/stat. */
#define NIRQ 4
static const char *irq_names[NIRQ] = { "TLB", "RES", "CAL", "LOC" };

static void read_counters(unsigned long long irq[NIRQ], unsigned long long *ctxt)
{
	char buf[4096];
	FILE *f = fopen("/proc/interrupts", "r");
	int i;

	for (i = 0; i < NIRQ; i++)
		irq[i] = 0;
	*ctxt = 0;
	if (f) {
		while (fgets(buf, sizeof(buf), f)) {
			char *p = buf, *end;

			while (*p == ' ')
				p++;
			for (i = 0; i < NIRQ; i++) {
				size_t n = strlen(irq_names[i]);

				if (strncmp(p, irq_names[i], n) == 0 && p[n] == ':') {
					p += n + 1;
					for (;;) {
						unsigned long long v = strtoull(p, &end, 10);

						if (end == p)
							break;
						irq[i] += v;
						p = end;
					}
				}
			}
		}
		fclose(f);
	}
	f = fopen("/proc/stat", "r");
	if (f) {
		while (fgets(buf, sizeof(buf), f))
			if (strncmp(buf, "ctxt ", 5) == 0)
				*ctxt = strtoull(buf + 5, NULL, 10);
		fclose(f);
	}
}

static void *worker(void *arg)
{
	int id = (int)(long)arg;

	pthread_mutex_lock(&go_lock);
	while (!go)
		pthread_cond_wait(&go_cond, &go_lock);
	pthread_mutex_unlock(&go_lock);
	ecskit_work(id, g_threads);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int wait_for_go = 1, threads, workers, i;
	double secs, t0, t1;
	unsigned long long tot0 = 0, st0 = 0, tot1 = 0, st1 = 0;
	struct cpu_stat cs0 = { 0 }, cs1 = { 0 };
	unsigned long ops[ECSKIT_MAX_THREADS], sum = 0;
	struct timespec end;
	pthread_t tid;
	char line[64];
	int have_stat;
	unsigned long long irq0[NIRQ], irq1[NIRQ], ctxt0, ctxt1;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		wait_for_go = 0;
		argc--;
		argv++;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: ecs-%s [-n] THREADS SECONDS\n", ecskit_name);
		return 2;
	}
	threads = atoi(argv[1]);
	secs = atof(argv[2]);
	workers = ecskit_workers(threads);
	if (threads < 1 || workers > ECSKIT_MAX_THREADS || !(secs > 0)) {
		fprintf(stderr, "ecs-%s: THREADS must be 1..%d (workers), SECONDS > 0\n", ecskit_name, ECSKIT_MAX_THREADS);
		return 2;
	}
	g_threads = threads;
	ecskit_setup(threads);
	for (i = 0; i < workers; i++) {
		if (pthread_create(&tid, NULL, worker, (void *)(long)i))
			ecskit_die("pthread_create");
		pthread_detach(tid);
	}
	printf("ECSKIT READY bench=%s threads=%d workers=%d\n", ecskit_name, threads, workers);
	fflush(stdout);
	if (wait_for_go && !fgets(line, sizeof(line), stdin)) {
		printf("ECSKIT ERROR bench=%s no go line on stdin\n", ecskit_name);
		fflush(stdout);
		_exit(2);
	}
	read_counters(irq0, &ctxt0);
	have_stat = read_cpu_stat(&tot0, &st0, &cs0) == 0;
	clock_gettime(CLOCK_MONOTONIC, &end);
	t0 = end.tv_sec + end.tv_nsec / 1e9;
	end.tv_sec += (time_t)secs;
	end.tv_nsec += (long)((secs - (double)(time_t)secs) * 1e9);
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&go_lock);
	go = 1;
	pthread_cond_broadcast(&go_cond);
	pthread_mutex_unlock(&go_lock);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &end, NULL) == EINTR)
		;
	for (i = 0; i < workers; i++)
		ops[i] = atomic_load_explicit(&ecskit_ops[i].n, memory_order_relaxed);
	t1 = now_s();
	read_counters(irq1, &ctxt1);
	printf("ECSKIT END bench=%s\n", ecskit_name);
	fflush(stdout);
	/* The host reads this process's (or this VM's vCPU threads') counters on END, then acks: so
	 * the threads still exist when it looks (the workers keep going meanwhile; the ops are taken). */
	if (wait_for_go && !fgets(line, sizeof(line), stdin)) {
		printf("ECSKIT ERROR bench=%s no ack line on stdin\n", ecskit_name);
		fflush(stdout);
		_exit(2);
	}
	atomic_store(&ecskit_stop, 1);
	if (have_stat)
		have_stat = read_cpu_stat(&tot1, &st1, &cs1) == 0;
	for (i = 0; i < workers; i++)
		sum += ops[i];
	printf("ECSKIT RESULT bench=%s threads=%d ops=%lu elapsed_s=%.6f", ecskit_name, threads, sum, t1 - t0);
	if (have_stat && tot1 > tot0) {
		double d = (double)(tot1 - tot0);

		printf(" steal_pct=%.3f", 100.0 * (double)(st1 - st0) / d);
		/* where the (v)CPUs' time went, from the kernel's tick sampling (HZ) */
		printf(" user_pct=%.1f sys_pct=%.1f idle_pct=%.1f", 100.0 * (double)(cs1.user - cs0.user) / d,
		       100.0 * (double)(cs1.sys - cs0.sys) / d, 100.0 * (double)(cs1.idle - cs0.idle) / d);
	} else
		printf(" steal_pct=");
	/* Whole-kernel counters over the window: in a guest they are the guest's own; natively they are
	 * the host's, other processes included. */
	for (i = 0; i < NIRQ; i++)
		printf(" irq_%s=%llu", irq_names[i], irq1[i] - irq0[i]);
	printf(" ctxt=%llu", ctxt1 - ctxt0);
	printf(" per_thread=");
	for (i = 0; i < workers; i++)
		printf(i ? ",%lu" : "%lu", ops[i]);
	printf("\n");
	fflush(stdout);
	/* Workers may be blocked (flock, futex, socket reads): exit_group ends them. */
	_exit(0);
}
