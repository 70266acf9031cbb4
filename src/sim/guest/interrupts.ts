/**
 * Guest interrupts: device hard-IRQ + softirq handlers and synchronous IPIs (smp_call_function_many with
 * wait=1, as used by TLB shootdowns via flush_tlb_others in Linux 4.13 without PV TLB flush), after
 * kernel/smp.c, kernel/softirq.c (irq_enter/irq_exit, __do_softirq) and arch/x86/mm/tlb.c.
 *
 *  - Device interrupts arrive per vCPU as a Poisson process in wall time. A running vCPU takes the
 *    interrupt at once (the task's phase is suspended), a halted vCPU is woken (host wakeup latency),
 *    a descheduled (runnable) vCPU keeps it pending until it runs again.
 *  - The handler runs in IRQ context: ground-truth CS kind `irq`; with the `irq` annotation bit the
 *    steal-time preempt_count is +1 for its duration (eCS, ecs-model.md §2.6, kernel/softirq.c hooks).
 *  - smp_call_function_many: one IPI (one ICR-write VM exit, costs.ipiSendCycles) per destination, then
 *    csd_lock_wait spins (cpu_relax, so PLE applies) until every target ran the handler and acked.
 *    A target that is descheduled by the host delays the sender (interrupt-context preemption, §1.5).
 * Deviations: the optional PV-IPI / PV-TLB hypercalls of the eCS patch (§2.7) are not modelled; softirq
 * work runs right after the hard-IRQ handler on the same vCPU (no ksoftirqd deferral); IPI handlers
 * of several senders queue FIFO on the target.
 */
import type { Task, Vcpu, VmState } from './entities'
import type { Environment } from '../core/environment'
import type { Tracer } from '../core/trace'
import type { VmDists } from '../workloads/dist'
import type { HostPolicy } from '../policies/types'
import * as ent from './entities'
import * as evk from '../core/event-kinds'
import * as counters from '../metrics/counters'
import * as distMod from '../workloads/dist'
import * as ptypes from '../policies/types'

/** What the interrupt model needs from the engine (implemented by the guest layer, guest/sched.ts). */
export interface IrqHost {
  readonly env: Environment
  readonly cnt: Float64Array
  readonly vms: readonly VmState[]
  readonly dists: readonly VmDists[]
  readonly policy: HostPolicy
  readonly tracer: Tracer | null
  /** Scratch index buffer of at least max(vCPUs per VM) entries. */
  readonly scratch: Int32Array
  readonly cacheLineNs: number
  /** Suspend the vCPU's guest context (its pending guest event) to take an interrupt. */
  saveGuest(v: Vcpu): void
  /** Wake a halted or halt-polling vCPU (`kick`: pv_kick semantics). */
  wakeVcpu(v: Vcpu, kick: boolean): void
  /** The vCPU executes guest code again after the handler. */
  resumeGuest(v: Vcpu): void
  executing(t: Task): boolean
  spinStop(t: Task): void
  spinResume(v: Vcpu, t: Task): void
}

const { H_RUNNING, H_RUNNABLE, H_HALTED, G_TASK, G_IRQ, G_POLL, GK_IRQ_END, GK_GRANT, PH_IPI_WAIT, WM_SPIN } = ent
const { EV_IRQ } = evk
const { C } = counters
const { sample } = distMod
const { CS_BIT } = ptypes

/** EV_IRQ: a device interrupt for `v`; schedules the next arrival. */
export function irqArrive(sim: IrqHost, v: Vcpu): void {
  const rate = sim.vms[v.vmIdx].workload.irq.ratePerSec
  sim.env.at(sim.env.now + Math.max(1, Math.round(v.rng.exp(1e9 / rate))), EV_IRQ, v.id)
  v.irqDevicePending++
  deliverIrq(sim, v)
}

/** Make a pending interrupt (device or IPI) reach the vCPU as soon as it can take it. */
export function deliverIrq(sim: IrqHost, v: Vcpu): void {
  if (v.hstate === H_RUNNING) {
    if (v.g === G_TASK) {
      sim.saveGuest(v)
      startIrq(sim, v)
    } else if (v.g === G_POLL) sim.wakeVcpu(v, false)
    // STALL / IRQ: taken when the guest resumes / the handler ends
  } else if (v.hstate === H_HALTED) sim.wakeVcpu(v, false)
  // RUNNABLE: pending until the vCPU runs (that delay is what ICP is about)
}

/** irq_enter: run the next pending handler (IPIs first, then device interrupts). */
export function startIrq(sim: IrqHost, v: Vcpu): void {
  let h: number
  if (v.ipiQueue.length > 0) {
    v.irqSender = v.ipiQueue.shift()!
    h = v.ipiHandlerNs.shift()!
    v.irqIsIpi = true
  } else {
    v.irqDevicePending--
    const d = sim.dists[v.vmIdx]
    h = sample(v.rng, d.irqHandler) + sample(v.rng, d.irqSoft)
    v.irqIsIpi = false
  }
  sim.cnt[C['irq.count']]++
  sim.cnt[C['irq.ns']] += h
  v.inIrq = true
  if (sim.policy.annotate & CS_BIT.irq) v.preemptCount++
  const now = sim.env.now
  const tr = sim.tracer
  if (tr && tr.on(now)) tr.add(now, 'irq', v.se.cpu, v.vmIdx, v.index, v.cur?.id, 'irq', v.irqIsIpi ? 'ipi' : 'device')
  v.g = G_IRQ
  v.irqEnd = now + h
  v.gevKind = GK_IRQ_END
  v.gev = sim.env.timer(v.id, v.irqEnd)
}

/** irq_exit: ack an IPI (the last ack releases the sender) and resume the interrupted context. */
export function irqEnd(sim: IrqHost, v: Vcpu): void {
  v.inIrq = false
  if (sim.policy.annotate & CS_BIT.irq) v.preemptCount--
  if (v.irqIsIpi && v.irqSender) {
    const s = v.irqSender
    v.irqSender = null
    s.ipiPending--
    if (s.ipiPending === 0) ackAll(sim, s)
  }
  v.irqIsIpi = false
  sim.resumeGuest(v)
}

/** All acks in: a spinning sender notices one cache-line transfer later. */
function ackAll(sim: IrqHost, s: Task): void {
  s.granted = true
  if (sim.executing(s) && s.spinSince >= 0) {
    sim.spinStop(s)
    const v = s.home
    v.gevKind = GK_GRANT
    v.gev = sim.env.timer(v.id, sim.env.now + sim.cacheLineNs)
  }
}

/** guest.lazyTlb modes (SimState.lazyTlb). */
export const LAZY_ALL = 0
export const LAZY_LEAVE_MM = 1
export const LAZY_SKIP = 2

/**
 * The destinations of a call-function / TLB-shootdown section of `t` on `v`: `targets` distinct other
 * vCPUs of the VM (0 = all others) stand for the CPUs in the mm's cpumask; for a shootdown the lazy ones
 * among them are then dropped by `mode` (guest.lazyTlb):
 *  - LAZY_LEAVE_MM, Linux 4.13 (arch/x86/mm/tlb.c): flush_tlb_func() on a CPU whose cpu_tlbstate.state
 *    is TLBSTATE_LAZY (idle, still on the last user mm) calls leave_mm(), which clears it from
 *    mm_cpumask; so an idle vCPU gets the first shootdown after it went idle (and must take the IPI,
 *    waking if halted) and none after that until switch_mm() puts a task of the mm on it again;
 *  - LAZY_SKIP, Linux 4.19 to 6.x: native_flush_tlb_multi() -> on_each_cpu_cond_mask(tlb_is_not_lazy)
 *    sends nothing to lazy CPUs (the freed_tables case, which IPIs them too, is not modelled);
 *  - LAZY_ALL: every chosen vCPU (engine 0.8.0 and earlier; plain `ipi` sections always).
 * Idle = no guest task current on the vCPU (the idle task runs in lazy-TLB mode), whatever its host state.
 * Fills t.ipiTargets and returns their number.
 */
export function chooseIpiTargets(sim: IrqHost, v: Vcpu, t: Task, mode: number, targets: number): number {
  const vm = sim.vms[t.vmIdx]
  const n = vm.vcpus.length
  const k = targets === 0 || targets >= n - 1 ? n - 1 : targets
  const idx = sim.scratch
  const out = t.ipiTargets
  out.length = 0
  let m = 0
  for (let i = 0; i < n; i++) if (i !== v.index) idx[m++] = i
  // partial Fisher-Yates for k distinct targets
  for (let i = 0; i < k; i++) {
    const j = i + t.rng.nextInt(m - i)
    const tmp = idx[i]
    idx[i] = idx[j]
    idx[j] = tmp
    const u = vm.vcpus[idx[i]]
    if (mode !== LAZY_ALL && u.cur === null) {
      if (mode === LAZY_SKIP || !u.inMm) {
        sim.cnt[C['ipi.lazySkipped']]++
        continue
      }
      u.inMm = false
    }
    out.push(idx[i])
  }
  return out.length
}

/** smp_call_function_many: one IPI per destination (t.ipiTargets, chosen by chooseIpiTargets), then csd_lock_wait. */
export function sendIpis(sim: IrqHost, v: Vcpu, t: Task): void {
  const vm = sim.vms[t.vmIdx]
  const idx = t.ipiTargets
  const k = idx.length
  t.phase = PH_IPI_WAIT
  t.waitMode = WM_SPIN
  t.waitStart = sim.env.now
  t.granted = false
  for (let i = 0; i < k; i++) {
    const u = vm.vcpus[idx[i]]
    u.ipiQueue.push(t)
    u.ipiHandlerNs.push(t.ipiHandlerNs)
    sim.cnt[C['ipi.sent']]++
    if (u.hstate === H_RUNNABLE) sim.cnt[C['ipi.toPreempted']]++
    else if (u.hstate === H_HALTED) sim.cnt[C['ipi.toHalted']]++
    deliverIrq(sim, u)
  }
  if (v.cur === t && v.hstate === H_RUNNING && v.g === G_TASK && v.gev < 0) sim.spinResume(v, t)
}
