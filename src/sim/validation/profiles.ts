/**
 * The host profile of the measured machine and the scenario of one measured configuration.
 *
 * The measured host (validation/data/<id>/metadata.json) runs QEMU with multi-threaded TCG: each vCPU
 * is one host thread, time-sliced by the host scheduler on `cores` pCPUs. Under TCG the guest sees no
 * hypervisor features (real-guest-method.md), so the profile has:
 *  - no Pause-Loop Exiting (`ple.gap = 0`, policy `kvm-nople`): TCG emulates PAUSE as a no-op;
 *  - TLB shootdowns skip idle vCPUs (`guest.lazyTlb = 'skip-lazy'`): the guest kernel is 6.1, whose
 *    native_flush_tlb_multi() sends no IPI to CPUs in lazy-TLB mode (tlb_is_not_lazy);
 *  - no PV spinlocks (`guest.pvSpinlocks = false`): the guest's qspinlock never pv_waits;
 *  - no halt polling (`haltPoll.maxNs = 0`): a vCPU thread that executes HLT sleeps in
 *    qemu_wait_io_event() (QEMU softmmu/cpus.c) until qemu_cpu_kick() wakes it;
 *  - the host's HZ and scheduler from the metadata (`host.scheduler` where the engine has it);
 *  - the guest's HZ from the guest kernel config (Debian 6.1: 250);
 *  - exit-like costs of TCG: HLT, an IPI write or a kick is a TCG helper plus a QEMU thread wake-up
 *    (futex), not a VMX exit. ASSUMPTIONS (no measurement in the data set isolates them): 5 us per
 *    "exit" and per IPI destination, 5 us host wake-up of a halted vCPU thread (qemu_cpu_kick ->
 *    qemu_cond_broadcast(halt_cond), a futex wake, then the BQL round trip out of
 *    qemu_wait_io_event), 5 us host context switch to a vCPU thread (switch + TCG re-entry);
 *  - QEMU's main-loop thread (`host.emulator`, host/host.ts): under TCG it runs the guest's LAPIC
 *    timers and kicks the vCPU threads, so it wakes about once per guest tick of every busy vCPU and
 *    preempts a vCPU thread when the cores are busy (the cpu control's measured 250 host preemptions
 *    per vCPU-second at 1 VM x 2 = the guest's HZ); one per VM, at the VM's weight (same process);
 *  - the host's idle exit (`costs.idleExitNs`, host/host.ts leaveIdle), derived from the data set's
 *    native runs of the futex benchmark, whose every op is one wake-up of a sleeping thread: with as
 *    many threads as cores the woken thread's core is idle at every hand-off, with twice as many it is
 *    busy, so idleExitNs = 1e9 / (ops/s, native 1 x cores) - 1e9 / (ops/s, native 1 x 2*cores)
 *    (idleExitFromNative below; 0 when the data set has no such runs). The measured host is itself a
 *    guest: an idle core halts to the outer hypervisor, and waking it costs that exit;
 *  - the vCPU threads' weight from the recorded niceness of QEMU (nice -10 -> weight 9548,
 *    sched_prio_to_weight in kernel/sched/core.c), and the other load the kit measured in each
 *    configuration's windows (other_load_pct: CPU time of processes other than the measured ones, % of
 *    all cores) as one host noise thread per pCPU at nice 0 whose duty cycle is that share (bursts of
 *    exp 10 ms: builds and test runs of the other engineers sharing the machine; ASSUMPTION on the
 *    burst length, the share is measured). This is data, not a fitted parameter.
 */
import type { Scenario, ScenarioInput } from '../../shared/scenario'
import { HostSchema } from '../../shared/scenario'
import type { DatasetMetadata, MeasuredRow } from '../../shared/validation'
import { resolveScenario } from '../scenario/resolve'
import { measuredWorkload, isMeasuredBenchmark, type MeasuredProfileParams } from '../workloads/measured'
import { metadataScheduler, DatasetError, type ConfigKey } from './dataset'

const HZ_ALLOWED = [100, 250, 300, 1000] as const
type Hz = (typeof HZ_ALLOWED)[number]

function hzOf(v: unknown, what: string): Hz {
  const n = Number(v)
  if ((HZ_ALLOWED as readonly number[]).includes(n)) return n as Hz
  throw new DatasetError(`${what}: HZ ${JSON.stringify(v)} is not one the model supports (allowed: ${HZ_ALLOWED.join(', ')})`)
}

/** Whether the engine has a host-scheduler choice (issue 12); before it, every host is CFS 4.13. */
export function engineHasSchedulerChoice(): boolean {
  return 'scheduler' in HostSchema.shape
}

export interface HostProfile {
  host: NonNullable<ScenarioInput['host']>
  guest: NonNullable<ScenarioInput['guest']>
  policy: { id: string; params: Record<string, unknown> }
  /** The scheduler the simulated host uses ('cfs' until the engine has EEVDF). */
  simulatedScheduler: string
  /** How host.costs.idleExitNs was derived (set by validate.ts prepare from the native runs). */
  idleExitNote?: string
}

export function hostProfile(meta: DatasetMetadata): HostProfile {
  const measuredSched = metadataScheduler(meta)
  const useSched = engineHasSchedulerChoice()
  const hostHz = hzOf(meta.host.hz ?? 250, 'metadata.json host.hz')
  const guestHz = hzOf(meta.guest?.config?.HZ ?? meta.guest?.config?.CONFIG_HZ ?? 250, 'metadata.json guest.config.HZ')
  const host: Record<string, unknown> = {
    pcpus: meta.host.cores,
    sockets: 1,
    hz: hostHz,
    ple: { gap: 0 },
    haltPoll: { maxNs: 0 },
    costs: { vmExitCycles: 12_000, ipiSendCycles: 12_000, kickCycles: 12_000, wakeLatencyNs: 5_000, contextSwitchNs: 5_000, cacheLineNs: 100 },
    noise: { tasksPerPcpu: 0 },
    emulator: { burstNs: { type: 'exp', meanNs: EMULATOR_BURST_NS } }
  }
  if (useSched) host.scheduler = measuredSched
  return {
    host: host as HostProfile['host'],
    // the measured guests run Linux 6.1: TLB shootdowns skip lazy (idle) CPUs (native_flush_tlb_multi)
    guest: { pvSpinlocks: false, hz: guestHz, lazyTlb: 'skip-lazy' },
    policy: { id: 'kvm-nople', params: {} },
    simulatedScheduler: useSched ? measuredSched : 'cfs'
  }
}

/**
 * The host's idle-exit latency from native futex runs (see the header): the time per op with as many
 * threads as cores minus the time per op with twice as many, means over repetitions; 0 when either is
 * missing or the difference is not positive.
 */
export function idleExitFromNative(rows: readonly MeasuredRow[], cores: number): { idleExitNs: number; note: string } {
  const rate = (threads: number): number | null => {
    const byRep = new Map<number, number>()
    for (const r of rows) {
      if (r.mode !== 'native' || r.benchmark !== 'futex' || r.pcpus !== cores || r.vms !== 1 || r.vcpus_per_vm !== threads) continue
      byRep.set(r.rep, (byRep.get(r.rep) ?? 0) + r.ops_per_s)
    }
    const xs = [...byRep.values()].filter((x) => x > 0)
    return xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : null
  }
  const idle = rate(cores)
  const busy = rate(2 * cores)
  if (idle === null || busy === null) return { idleExitNs: 0, note: `no native futex runs with ${cores} and ${2 * cores} threads: idle exit 0` }
  const d = 1e9 / idle - 1e9 / busy
  const idleExitNs = d > 0 ? Math.round(d) : 0
  return { idleExitNs, note: `native futex: ${(1e9 / idle / 1000).toFixed(2)} us per op with ${cores} threads (woken thread's core idle), ${(1e9 / busy / 1000).toFixed(2)} us with ${2 * cores} (busy): idle exit ${(idleExitNs / 1000).toFixed(2)} us` }
}

/**
 * Mean run time of one wake-up of QEMU's main-loop thread (the emulator thread, host.emulator).
 * ASSUMPTION: the timer callback, the APIC delivery under the BQL and the kick of the vCPU thread are
 * native code, a few us, plus the context switches in and out: 10 us.
 */
export const EMULATOR_BURST_NS = 10_000

/** sched_prio_to_weight (kernel/sched/core.c) for nice -20..19. */
const PRIO_TO_WEIGHT = [88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916, 9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
  1024, 820, 655, 526, 423, 335, 272, 215, 172, 137, 110, 87, 70, 56, 45, 36, 29, 23, 18, 15]

export function weightOfNice(nice: number): number {
  const n = Math.max(-20, Math.min(19, Math.round(nice)))
  return PRIO_TO_WEIGHT[n + 20]
}

/** Mean burst of the noise thread that stands for the other load, ns. */
export const OTHER_LOAD_BURST_NS = 10_000_000

/**
 * The resolved scenario of one configuration: `vms` VMs of `vcpusPerVm` vCPUs running the benchmark's
 * profile; `otherLoad` = the measured other_load_pct / 100 of the configuration (0 = none).
 */
export function configScenario(c: ConfigKey, hp: HostProfile, p: MeasuredProfileParams, seed: number, durationNs: number, otherLoad = 0, nice = 0): Scenario {
  if (!isMeasuredBenchmark(c.benchmark)) throw new DatasetError(`no workload profile for benchmark '${c.benchmark}' (profiles: cpu, flock, futex, mmap, spinlock, hackbench)`)
  const workload = measuredWorkload(c.benchmark, p)
  const d = Math.min(0.95, Math.max(0, otherLoad))
  const noise = d > 0.005
    ? { tasksPerPcpu: 1, burstNs: { type: 'exp' as const, meanNs: OTHER_LOAD_BURST_NS }, sleepNs: { type: 'exp' as const, meanNs: Math.round((OTHER_LOAD_BURST_NS * (1 - d)) / d) } }
    : { tasksPerPcpu: 0 }
  const input: ScenarioInput = {
    name: `validate ${c.benchmark} ${c.vms}x${c.vcpusPerVm} on ${c.pcpus}`,
    host: { ...hp.host, pcpus: c.pcpus, noise },
    guest: hp.guest,
    vms: Array.from({ length: c.vms }, (_, i) => ({ name: `vm${i}`, vcpus: c.vcpusPerVm, workload, weight: weightOfNice(nice) })),
    durationNs,
    warmupNs: Math.floor(durationNs / 5),
    seed,
    policy: hp.policy
  }
  return resolveScenario(input)
}
