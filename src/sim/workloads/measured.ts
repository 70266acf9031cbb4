/**
 * Workload profiles that mirror the measured benchmarks of the real-guest data set (issue 11,
 * validation/README.md for the C sources). Each profile is named after its benchmark and built from:
 *
 *  1. what the benchmark does in the guest kernel (the sections below; Linux 6.1, Debian's guest
 *     kernel, functions cited per profile), and
 *  2. its reference-configuration measurement (1 VM x host-cores vCPUs): the time per op of one
 *     thread there, T = vcpus / (total ops/s), includes waits the model produces itself (wake-ups of
 *     halted vCPUs, idle exits, lock waits), so the op's own work `opNs` is chosen so that the
 *     simulated reference runs at the measured rate (validation/validate.ts phase 0; the reference is
 *     the normaliser, not a reported point), and
 *  3. one free parameter per benchmark, `csShare`: the share of an op spent inside the benchmark's
 *     contended kernel section(s). The data set records no kernel share (TCG has no PMU counters for
 *     it), so it is fitted, on the calibration points only (validation/fit.ts: grid search, see
 *     docs/VALIDATION.md "Fitting"); validation points never enter the fit.
 *
 * Op = compute (user code + the uncontended part of the syscall, exp with mean (1 - csShare) opNs),
 * then one section drawn by weight, whose hold times sum to csShare * opNs on average. TCG's slow-down
 * of kernel paths (~10x against native, real-guest-method.md) is inside opNs since opNs is measured
 * under TCG. A model op is compute then one section; a benchmark whose op takes its locks many times
 * (mmap: 2 mmap_lock write sections, 16 faults under the read side, 1 shootdown) is modelled as
 * MEASURED_STEPS model ops per benchmark op, drawn by weight in those proportions, and validate divides
 * the simulated op count by it (normalised throughput, a ratio, does not depend on it; the time per op
 * and the blocks per op do). Deviations: the sections of one op are drawn at random rather than in
 * order, and a step holds one lock (the real paths nest 2-4 in a row; their hold times are folded into
 * the modelled one). flock and futex waiters sleep at once
 * (mutex `waiters` 'sleep' / 'token', locks/mutex.ts), unlike mutex.c's optimistic spinning.
 */
import type { SectionInput, WorkloadInput } from '../../shared/scenario'

export const MEASURED_BENCHMARKS = ['cpu', 'flock', 'futex', 'mmap', 'spinlock', 'hackbench'] as const
export type MeasuredBenchmark = (typeof MEASURED_BENCHMARKS)[number]

export const isMeasuredBenchmark = (b: string): b is MeasuredBenchmark => (MEASURED_BENCHMARKS as readonly string[]).includes(b)

export interface MeasuredProfileParams {
  /** Time of one op of one benchmark thread at the reference configuration, ns (measured). */
  opNs: number
  /** Share of an op inside the contended kernel section(s), 0..1 (fitted on calibration points). */
  csShare: number
}

/**
 * Model ops per benchmark op. mmap (validation/bench/mmap.c): mmap + 16 page faults + munmap per op, each
 * fault a separate mmap_read_lock section (do_user_addr_fault), each of mmap and munmap an
 * mmap_write_lock section, and munmap one TLB shootdown: 19. Until engine 0.9.0 the mmap op was one
 * section drawn 2:1:1 (write, read, shootdown), so the simulated guest took mmap_lock 16x less often per
 * op than the real one and its vCPUs blocked 0.3 times per op where the measured ones block 4.3 times.
 */
export const MEASURED_STEPS: Record<MeasuredBenchmark, number> = { cpu: 1, flock: 1, futex: 1, mmap: 19, spinlock: 1, hackbench: 1 }

/** Grid the fit searches for csShare (validation/fit.ts). */
export const CS_SHARE_GRID = [0.02, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8] as const

const int = (x: number) => Math.max(1, Math.round(x))
const exp = (meanNs: number) => ({ type: 'exp' as const, meanNs: int(meanNs) })
const logn = (medianNs: number, sigma: number) => ({ type: 'lognormal' as const, medianNs: int(medianNs), sigma })

/** What each profile models, with the kernel functions it stands for. */
export const MEASURED_DOCS: Record<MeasuredBenchmark, string> = {
  cpu: 'User-space arithmetic loop, no syscalls: the control every ratio is divided by. One op = opNs of computation (fixed).',
  flock: 'flock(LOCK_EX) / flock(LOCK_UN) on one shared file: fs/locks.c flock_lock_inode() takes ctx->flc_lock (spinlock) ' +
    'and, when the lock is held, the waiter sleeps in locks_lock_inode_wait() -> wait_event_interruptible(fl_wait) until ' +
    'locks_delete_block() wakes it at unlock; the woken request retries and may find the lock taken again. Modelled as a ' +
    'wait-queue lock (mutex family, waiters \'sleep\': no optimistic spinning, no hand-off) held for csShare*opNs with the ' +
    'flc_lock spinlock nested inside (10 % of the hold).',
  futex: 'Token passing on one futex word: each thread increments the word, FUTEX_WAKEs one waiter and FUTEX_WAITs on the ' +
    'value it wrote (kernel/futex: futex_wake() and futex_wait_setup() take hb->lock, a spinlock, around waking and ' +
    'queueing; the waiter sleeps in futex_wait_queue() until woken: try_to_wake_up -> a wake IPI to its idle vCPU). ' +
    'Modelled as a token ring (mutex family, waiters \'token\'): no thread takes it twice in a row, since the word a ' +
    'thread waits for moves only when another thread increments it; a thread that finds another thread\'s op since its own ' +
    'goes on at once (FUTEX_WAIT returns -EAGAIN), otherwise it sleeps until a later op wakes it (each release wakes the ' +
    'first sleeper, without reserving the lock for it), as measured (0.6-0.8 call-function IPIs per op at 1 VM x 2). The holder\'s ' +
    'part of an op (csShare*opNs) is the increment and FUTEX_WAKE with hb->lock nested (20 % of it), the rest of the ' +
    'op is the way into FUTEX_WAIT.',
  mmap: 'mmap / touch 16 pages / munmap in one address space: mmap_write_lock (mm->mmap_lock, rwsem) in do_mmap / __vm_munmap, ' +
    '16 page faults each under mmap_read_lock with the page-table lock (pte_offset_map_lock, spinlock), and munmap\'s TLB ' +
    'shootdown (flush_tlb_mm_range -> on_each_cpu_cond_mask, synchronous IPIs to the other CPUs running the mm). ' +
    'One benchmark op is 19 model ops drawn 2:16:1: rwsem-write, rwsem-read with ptl nested (20 % of its hold), TLB ' +
    'shootdown to all other vCPUs; each holds for the same mean (csShare of the op split evenly over the 19 steps: no ' +
    'measurement separates them).',
  spinlock: 'A syscall path bound by one kernel spinlock, every thread on the same lock (the kit\'s README names the path). ' +
    'Modelled as one spinlock instance held for csShare*opNs (lognormal, sigma 0.5).',
  hackbench: 'Groups of senders and receivers over sockets/pipes: unix_stream_sendmsg / pipe_write take the receive queue ' +
    'or pipe lock (spinlock), wake the reader (try_to_wake_up, reschedule IPI when it sleeps on another vCPU), and readers ' +
    'block in unix_stream_read_generic / pipe_read. Modelled as a queue spinlock on 4 instances (weight 2) and a short ' +
    'blocking sleep (weight 1); the wake-up IPI is asynchronous (smp_send_reschedule), so the sender does not wait for it. ' +
    'Two tasks per vCPU, as the benchmark runs a sender and a receiver thread per CPU.'
}

/** The workload of a measured benchmark for given parameters. */
export function measuredWorkload(benchmark: MeasuredBenchmark, p: MeasuredProfileParams): WorkloadInput {
  // time of one model op (a step of the benchmark op)
  const T = p.opNs / MEASURED_STEPS[benchmark]
  const f = Math.min(0.95, Math.max(0, p.csShare))
  const cs = f * T
  const compute = exp((1 - f) * T)
  // hackbench runs a sender and a receiver thread per CPU (validation/bench/hackbench.c
  // ecskit_workers() = 2 x threads): when one blocks the other runs, so the vCPU seldom halts
  // (the guest is 3-10 % idle at 1 VM x 2, vmm-trace). Every other benchmark runs one thread per vCPU.
  const base = { title: `${benchmark} (measured profile)`, description: MEASURED_DOCS[benchmark], tasksPerVcpu: benchmark === 'hackbench' ? 2 : 1 }
  let sections: SectionInput[]
  switch (benchmark) {
    case 'cpu':
      return { ...base, computeNs: { type: 'fixed', ns: int(T) }, sections: [] }
    case 'spinlock':
      sections = [{ kind: 'spinlock', lock: 'bench', instances: 1, holdNs: logn(cs, 0.5) }]
      break
    case 'flock':
      sections = [{ kind: 'mutex', waiters: 'sleep', lock: 'file_lock', instances: 1, holdNs: exp(0.9 * cs), nested: { prob: 1, lock: 'flc_lock', instances: 1, holdNs: logn(0.1 * cs, 0.5) } }]
      break
    case 'futex':
      sections = [{ kind: 'mutex', waiters: 'token', lock: 'futex_word', instances: 1, holdNs: exp(0.8 * cs), nested: { prob: 1, lock: 'hb_lock', instances: 1, holdNs: logn(0.2 * cs, 0.5) } }]
      break
    case 'mmap':
      // steps 2:16:1 (MEASURED_STEPS), every step's mean hold cs (the read side's includes the nested ptl)
      sections = [
        { kind: 'rwsem-write', weight: 2, lock: 'mmap_lock', instances: 1, holdNs: exp(cs) },
        { kind: 'rwsem-read', weight: 16, lock: 'mmap_lock', instances: 1, holdNs: exp(0.8 * cs), nested: { prob: 1, lock: 'ptl', instances: 1, holdNs: logn(0.2 * cs, 0.5) } },
        { kind: 'tlb-shootdown', weight: 1, targets: 0, holdNs: exp(cs) }
      ]
      break
    case 'hackbench':
      // weights 2:1, mean hold (2*1.0 + 1*1.0) / 3 = 1.0 of cs. The wake-up of the reader is an
      // asynchronous reschedule IPI (try_to_wake_up -> smp_send_reschedule, the sender does not wait):
      // the engine's guest wake path, not a synchronous `ipi` section (smp_call_function wait=1).
      sections = [
        { kind: 'spinlock', weight: 2, lock: 'queue', instances: 4, holdNs: logn(cs, 0.5) },
        { kind: 'sleep', weight: 1, holdNs: exp(cs) }
      ]
      break
  }
  return { ...base, computeNs: compute, sections }
}
