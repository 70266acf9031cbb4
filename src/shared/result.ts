/**
 * SimResult: what one engine run returns. Plain JSON (structured-clone-able): numbers, strings, arrays.
 * Exported as JSON Schema in schemas/result.schema.json by scripts/gen-schemas.ts.
 *
 * Every statistic excludes the warm-up interval [0, warmupNs) unless its doc says otherwise; the time
 * series covers the whole run (t is the end of each interval) so a UI can shade the warm-up.
 */
import { z } from 'zod'

export const CS_KINDS = ['spinlock', 'rwlock', 'mutex', 'rwsem', 'rcu', 'irq'] as const
export type CsKind = (typeof CS_KINDS)[number]

export const TRACE_KINDS = ['run', 'idle', 'cs-enter', 'cs-exit', 'preempt', 'yield', 'ple-exit', 'halt', 'kick', 'wake', 'lock-wait', 'irq', 'gp', 'state'] as const
export type TraceKind = (typeof TRACE_KINDS)[number]

export const TraceRecordSchema = z.object({
  t: z.number().int(),
  kind: z.enum(TRACE_KINDS),
  pcpu: z.number().int(),
  vm: z.number().int(),
  vcpu: z.number().int(),
  task: z.number().int().optional(),
  cs: z.string().optional(),
  detail: z.string().optional()
})
export type TraceRecord = z.infer<typeof TraceRecordSchema>

const byKind = z.object(Object.fromEntries(CS_KINDS.map((k) => [k, z.number().int()])) as Record<CsKind, z.ZodNumber>)

export const SimResultSchema = z.object({
  engineVersion: z.string(),
  scenarioName: z.string().optional(),
  policy: z.string(),
  policyParams: z.record(z.string(), z.unknown()),
  /** Host scheduler the run used ('cfs' = Linux 4.13 CFS, 'eevdf' = Linux 6.6 EEVDF). Absent in results of older engines. */
  scheduler: z.enum(['cfs', 'eevdf']).optional(),
  seed: z.number().int(),
  simulatedNs: z.number().int(),
  warmupNs: z.number().int(),
  /** Statistics window = simulatedNs - warmupNs. */
  measuredNs: z.number().int(),
  /** Discrete events processed (whole run, including warm-up). */
  events: z.number().int(),
  /** FNV-1a digest over every dispatched event (time, kind, target): equal digests => identical runs. */
  digest: z.string(),
  vms: z.array(z.object({
    name: z.string(),
    vcpus: z.number().int(),
    workload: z.string(),
    ops: z.number().int(),
    opsPerSec: z.number(),
    opsPerVcpuPerSec: z.number(),
    /** pCPU time consumed by this VM's vCPU threads (guest + exit overheads). */
    cpuTimeNs: z.number().int(),
    /** Time this VM's vCPUs were runnable but not running (steal time). */
    stealNs: z.number().int(),
    /** Extra run time tick-preemption vetoes granted this VM's vCPUs (first avoided preemption -> sched-out). */
    vetoExtraNs: z.number().int().optional(),
    /** Per vCPU (index order), present when vetoes extended any stint of this VM: the extra run time each got ... */
    vcpuVetoExtraNs: z.array(z.number().int()).optional(),
    /** ... and the runnable waits that directly followed its extended stints (how CFS fairness repaid it). */
    vcpuPaybackWaitNs: z.array(z.number().int()).optional(),
    /**
     * Co-scheduling over the measured window: how many of this VM's vCPU threads are on a pCPU at once
     * (host state RUNNING: guest code, exit stalls or halt polling), time-weighted. `shareByCount[k]` is
     * the share of time with exactly k running (k = 0..vcpus); `mean` the mean count; `shareAtZero` /
     * `shareAll` the shares with none / all of them running. Absent in results of older engines.
     */
    coRunning: z.object({
      mean: z.number(),
      shareAtZero: z.number(),
      shareAll: z.number(),
      shareByCount: z.array(z.number())
    }).optional()
  })),
  preemptions: z.object({
    /** Involuntary host deschedules of a running vCPU (tick, wakeup preemption, directed-yield target rq). */
    total: z.number().int(),
    /** ... of those, vCPUs whose guest held an annotated critical section (preempt_count + fake_preempt_count > 0). */
    inCriticalSection: z.object({ total: z.number().int(), byKind: byKind }),
    /** Lock-holder preemption: the vCPU's current task held a lock (any family). */
    lockHolder: z.number().int(),
    /** Lock-waiter preemption: the vCPU's current task was queued on / spinning for a lock. */
    lockWaiter: z.number().int()
  }),
  /** Flat named counters, declared with a one-line comment each in src/sim/metrics/counters.ts. */
  counters: z.record(z.string(), z.number()),
  series: z.object({
    intervalNs: z.number().int(),
    t: z.array(z.number().int()),
    perVm: z.array(z.object({
      name: z.string(),
      ops: z.array(z.number().int()),
      preemptions: z.array(z.number().int()),
      inCsPreemptions: z.array(z.number().int())
    }))
  }),
  /** Lock wait time (acquire start -> acquired) in log2 buckets: bucket i counts waits in [2^i, 2^(i+1)) ns; bucket 0 also holds 0. */
  lockWaitHistogram: z.object({ unit: z.literal('ns'), buckets: z.array(z.number().int()) }),
  /** Per-pCPU accounting (for conservation checks): busy + idle = simulatedNs. */
  pcpuBusyNs: z.array(z.number().int()),
  pcpuIdleNs: z.array(z.number().int()),
  /**
   * The run's regime over the measured window (issue 11), to tell a CPU-over-committed point from an idle
   * one: `pcpuBusyShare` = pCPU time with a running entity / (pCPUs x measuredNs); `multiRunnableTickShare`
   * = share of host ticks, over all pCPUs, whose runqueue had more than one runnable entity (curr
   * included), i.e. the ticks at which the tick path could preempt at all; `hostTicks` = pCPU ticks
   * counted (pCPUs x ticks). Absent in results of older engines.
   */
  regime: z.object({
    pcpuBusyShare: z.number(),
    multiRunnableTickShare: z.number(),
    hostTicks: z.number().int()
  }).optional(),
  trace: z.object({
    fromNs: z.number().int(),
    toNs: z.number().int(),
    dropped: z.number().int(),
    /** Window mode (a snapshot at fromNs, then the first records): time of the first record not kept; [fullAtNs, toNs) has no data. */
    fullAtNs: z.number().int().optional(),
    records: z.array(TraceRecordSchema)
  }).optional()
})
export type SimResult = z.infer<typeof SimResultSchema>
