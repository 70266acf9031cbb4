/**
 * Workload presets: documented profiles of guest threads. A workload is a loop per guest task:
 * non-critical work (computeNs), then one section chosen by weight (a critical section of some kind,
 * a blocking operation, an RCU or IPI operation), repeat. One loop iteration is one "op".
 *
 * The paper's workloads are UNKNOWN (ecs-model.md §3.2, §5.1); these presets mimic kernel behaviours
 * named in the spec, with numbers taken from the sources cited in each doc comment. Nothing here is
 * tuned to hit a paper figure. ASSUMPTION markers follow the spec's convention.
 */
import type { WorkloadInput, WorkloadPresetInfo } from '../../shared/scenario'

interface WorkloadPreset extends WorkloadPresetInfo { workload: WorkloadInput }

export const WORKLOAD_PRESETS: WorkloadPreset[] = [
  {
    id: 'cpu-bound',
    title: 'CPU-bound (no critical sections)',
    description: 'Pure computation in 100 us chunks; one chunk is one op.',
    mimics: 'A user-space compute job (e.g. a spin loop or SPEC-like kernel); no guest locks, no IPIs, no halts. ' +
      'Throughput only depends on the pCPU share a vCPU gets, so it isolates host scheduling fairness.',
    workload: { computeNs: { type: 'fixed', ns: 100_000 }, sections: [] }
  },
  {
    id: 'spinlock-heavy',
    title: 'Spinlock-heavy kernel path',
    description: '8 us (exp) of work, then a qspinlock section of median 700 ns (lognormal sigma 0.7) on one of 16 locks.',
    mimics: 'Short, hot kernel spinlock sections such as the page allocator zone->lock or dcache d_lock under a ' +
      'fork/exec/file-heavy benchmark. Hold times follow KVM\'s PLE comment "most spinlocks are held for less than ' +
      '2^12 cycles" (arch/x86/kvm/vmx.c): median 700 ns = 1,680 cycles at 2.4 GHz, ~93% below 2^12 cycles. ' +
      'ASSUMPTION: 16 lock instances and 8 us of work between sections give ~50% utilisation per lock at 80 vCPUs.',
    workload: {
      computeNs: { type: 'exp', meanNs: 8_000 },
      sections: [{ kind: 'spinlock', weight: 1, lock: 'hot', instances: 16, holdNs: { type: 'lognormal', medianNs: 700, sigma: 0.7 } }]
    }
  },
  {
    id: 'mutex-rwsem',
    title: 'Sleeping locks: mmap_sem + i_mutex style',
    description: '20 us (exp) of work, then rwsem read (page fault, 3 us), rwsem write (mmap/munmap, 10 us) or mutex (file write, 5 us).',
    mimics: 'Page-fault-heavy multithreaded processes contending on one mm->mmap_sem (ebizzy / psearchy style: many readers, ' +
      'some writers) plus a per-file i_mutex (dbench style writes). Blocking locks with optimistic spinning (kernel/locking/mutex.c, ' +
      'rwsem-xadd.c). Holds in the us range per ecs-model.md §5.1 ("mutex/rwsem holds us-ms"); exact ratios are ASSUMPTIONS.',
    workload: {
      computeNs: { type: 'exp', meanNs: 20_000 },
      sections: [
        { kind: 'rwsem-read', weight: 6, lock: 'mmap_sem', instances: 1, holdNs: { type: 'exp', meanNs: 3_000 } },
        { kind: 'rwsem-write', weight: 1, lock: 'mmap_sem', instances: 1, holdNs: { type: 'exp', meanNs: 10_000 } },
        { kind: 'mutex', weight: 3, lock: 'i_mutex', instances: 4, holdNs: { type: 'exp', meanNs: 5_000 },
          nested: { prob: 0.5, lock: 'i_lock', instances: 4, holdNs: { type: 'lognormal', medianNs: 500, sigma: 0.5 } } }
      ]
    }
  },
  {
    id: 'rcu-ipi',
    title: 'RCU readers + TLB shootdowns',
    description: 'RCU read sections (1 us), occasional synchronize_rcu, and TLB shootdown IPIs to 8 vCPUs waiting for acks.',
    mimics: 'Path-walk style rcu_read_lock sections (RCU-walk in fs/namei.c) mixed with munmap-driven TLB shootdowns ' +
      '(flush_tlb_others -> smp_call_function_many(wait=1), one IPI exit per destination without PV TLB flush in 4.13) ' +
      'and rare synchronize_rcu callers. Handler 1.5 us, device IRQs 1 kHz per vCPU. Rates are ASSUMPTIONS.',
    workload: {
      computeNs: { type: 'exp', meanNs: 15_000 },
      sections: [
        { kind: 'rcu-read', weight: 20, holdNs: { type: 'exp', meanNs: 1_000 } },
        { kind: 'tlb-shootdown', weight: 2, targets: 8, holdNs: { type: 'exp', meanNs: 1_500 } },
        { kind: 'synchronize-rcu', weight: 0.2, holdNs: { type: 'fixed', ns: 0 } },
        { kind: 'spinlock', weight: 2, lock: 'pte', instances: 64, holdNs: { type: 'lognormal', medianNs: 400, sigma: 0.5 } }
      ],
      irq: { ratePerSec: 1000, handlerNs: { type: 'exp', meanNs: 2_000 }, softirqNs: { type: 'exp', meanNs: 3_000 } }
    }
  },
  {
    id: 'mixed-kernel',
    title: 'Mixed kernel-intensive (build-like)',
    description: 'Two tasks per vCPU mixing spinlocks, a mutex, RCU reads, short sleeps (I/O) and device IRQs.',
    mimics: 'A parallel kernel build / exim-like mix: short spinlocks, a directory i_mutex, RCU lookups, blocking I/O waits ' +
      'that make vCPUs idle and halt (the blocked-waiter wakeup path of ecs-model.md §1.6). All rates are ASSUMPTIONS.',
    workload: {
      tasksPerVcpu: 2,
      computeNs: { type: 'exp', meanNs: 20_000 },
      sections: [
        { kind: 'spinlock', weight: 6, lock: 'zone', instances: 8, holdNs: { type: 'lognormal', medianNs: 600, sigma: 0.7 } },
        { kind: 'mutex', weight: 2, lock: 'dir', instances: 8, holdNs: { type: 'exp', meanNs: 8_000 } },
        { kind: 'rcu-read', weight: 4, holdNs: { type: 'exp', meanNs: 800 } },
        { kind: 'sleep', weight: 1, holdNs: { type: 'exp', meanNs: 100_000 } }
      ],
      irq: { ratePerSec: 500, handlerNs: { type: 'exp', meanNs: 2_000 }, softirqNs: { type: 'fixed', ns: 0 } }
    }
  }
]

export function findWorkloadPreset(id: string): WorkloadInput | undefined {
  return WORKLOAD_PRESETS.find((w) => w.id === id)?.workload
}

export function workloadCatalog(): WorkloadPresetInfo[] {
  return WORKLOAD_PRESETS.map(({ id, title, description, mimics }) => ({ id, title, description, mimics }))
}
