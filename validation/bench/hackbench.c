/* hackbench: the kit's own timed equivalent of rt-tests' `hackbench -T -g 1 -f THREADS -s 100` (thread
 * mode, one group, socketpair mode): THREADS sender threads and THREADS receiver threads; receiver j
 * owns one AF_UNIX SOCK_STREAM socketpair; every sender writes 100-byte messages to every receiver in
 * turn, every receiver reads 100-byte messages from its socket. rt-tests' hackbench runs a fixed number
 * of loops and reports the time; here the window is fixed and ops = messages received in it.
 * Kernel (Linux 6.1, net/unix/af_unix.c): unix_stream_sendmsg() allocates an skb, takes
 * unix_state_lock(other) and the receive queue's spin_lock (skb_queue_tail), and
 * other->sk_data_ready() = sock_def_readable() wakes the reader (try_to_wake_up: reschedule/wake-list
 * IPIs); unix_stream_read_generic() takes u->iolock (mutex) and sleeps in unix_stream_data_wait().
 * Senders block in sock_alloc_send_pskb() when the socket's send buffer is full. It is
 * scheduler-bound: many short sleeps and cross-CPU wakeups, 2 x THREADS tasks on THREADS CPUs. */
#define _GNU_SOURCE
#include "harness.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MSG 100

const char *ecskit_name = "hackbench";
static int sv[ECSKIT_MAX_THREADS][2];

int ecskit_workers(int threads) { return 2 * threads; }

int ecskit_setup(int threads)
{
	int j;

	for (j = 0; j < threads; j++)
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv[j]))
			ecskit_die("socketpair");
	return 0;
}

static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);

		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Workers 0..threads-1 are senders (never count), threads..2*threads-1 receivers. */
void ecskit_work(int id, int threads)
{
	char buf[MSG];
	unsigned long local = 0;
	int j;

	memset(buf, 'x', sizeof(buf));
	if (id < threads) {
		while (!ecskit_stopped())
			for (j = 0; j < threads; j++)
				if (write_all(sv[j][1], buf, MSG))
					ecskit_die("socket write");
		return;
	}
	j = id - threads;
	while (!ecskit_stopped()) {
		size_t got = 0;

		while (got < MSG) {
			ssize_t r = read(sv[j][0], buf + got, MSG - got);

			if (r <= 0)
				ecskit_die("socket read");
			got += (size_t)r;
		}
		ecskit_count(id, &local);
	}
}
