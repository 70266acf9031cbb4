/* mmap: every thread of one process maps 16 anonymous pages, writes one byte to each (16 page faults)
 * and unmaps them. One op = mmap + 16 faults + munmap.
 * Kernel (Linux 6.1): mmap -> vm_mmap_pgoff() takes mmap_write_lock(mm); each fault
 * do_user_addr_fault() takes mmap_read_lock (no per-VMA locks before 6.4), do_anonymous_page() the
 * page-table spinlock (pte_offset_map_lock); munmap -> __vm_munmap() takes mmap_write_lock, and
 * unmap_region() -> tlb_finish_mmu() -> flush_tlb_mm_range() sends TLB-shootdown IPIs to the other
 * CPUs running this mm (arch/x86/mm/tlb.c native_flush_tlb_multi -> on_each_cpu_cond_mask; lazy CPUs
 * are skipped in 6.1), then waits for their acks (csd_lock_wait). Under TCG there is no PV TLB flush. */
#define _GNU_SOURCE
#include "harness.h"

#include <sys/mman.h>
#include <unistd.h>

#define PAGES 16

const char *ecskit_name = "mmap";
static long page;

int ecskit_workers(int threads) { return threads; }
int ecskit_setup(int threads)
{
	(void)threads;
	page = sysconf(_SC_PAGESIZE);
	return 0;
}

void ecskit_work(int id, int threads)
{
	unsigned long local = 0;
	int i;

	(void)threads;
	while (!ecskit_stopped()) {
		volatile char *p = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			ecskit_die("mmap");
		for (i = 0; i < PAGES; i++)
			p[i * page] = (char)i;
		if (munmap((void *)p, PAGES * page))
			ecskit_die("munmap");
		ecskit_count(id, &local);
	}
}
