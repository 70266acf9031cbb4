/**
 * Statistics and the result: preemption accounting by cause and by what the descheduled vCPU was doing
 * (ground truth: the current task holds a section or the vCPU is in an IRQ, independent of any policy's
 * annotation), the warm-up snapshot, the sampled time series, engine invariants (property tests) and
 * `result()` (src/shared/result.ts). Measurement never perturbs the model: nothing here calls
 * update_curr or changes scheduling state (accountAll only brings busy/idle accounting up to now).
 */
import type { SimResult, CsKind } from '../../shared/result'
import * as resultMod from '../../shared/result'
import type { Vcpu } from '../guest/entities'
import * as ent from '../guest/entities'
import * as counters from './counters'
import * as evk from '../core/event-kinds'
import * as eq from '../core/event-queue'
import * as assertMod from '../core/assert'
import { PvQspinlock } from '../locks/pv-qspinlock'
import { Qrwlock } from '../locks/qrwlock'
import { Mutex } from '../locks/mutex'
import { Rwsem } from '../locks/rwsem'
import type { HostRunqueue } from '../host/sched-class'
import { LockLayer } from '../locks/glue'
import type { AnyLock } from '../sim-state'
import * as st from '../sim-state'

const { R_TICK, R_WAKEUP, R_YIELD_TARGET } = st

const { H_RUNNING, H_RUNNABLE, H_HALTED, G_OFF, HR_IDLE, PH_ACQ, WM_SPIN, T_RUNNING, T_RUNNABLE, K_RCU, K_IRQ } = ent
const { C, countersToRecord } = counters
const { CS_KINDS } = resultMod
const { PRIO_LATE } = eq
const { EV_SAMPLE } = evk
const simAssert: (cond: unknown, message: string) => asserts cond = assertMod.simAssert

export abstract class StatsLayer extends LockLayer {
  protected accountPreemption(v: Vcpu, reason: number, rq: HostRunqueue): void {
    const cnt = this.cnt
    cnt[C['preempt.total']]++
    if (reason === R_TICK) cnt[C['preempt.tick']]++
    else if (reason === R_WAKEUP) cnt[C['preempt.wakeup']]++
    else if (reason === R_YIELD_TARGET) {
      cnt[C['preempt.yieldTarget']]++
      cnt[C['ple.targetPreemptions']]++
    }
    this.vmPreempt[v.vmIdx]++
    const t = v.cur
    let inCs = false
    let csName: string | undefined
    if (t) {
      for (let k = 0; k < 5; k++) {
        if (t.holds[k] > 0) {
          this.byKind[k]++
          inCs = true
          csName = CS_KINDS[k]
        }
      }
      if (t.heldLocks.length > 0) {
        this.lockHolder++
        cnt[C['preempt.lockHolder']]++
      }
      if ((t.phase === PH_ACQ && t.waitMode === WM_SPIN)) {
        this.lockWaiter++
        cnt[C['preempt.lockWaiter']]++
      }
      if (t.holds[K_RCU] > 0) cnt[C['preempt.rcuReader']]++
    }
    if (v.inIrq) {
      this.byKind[K_IRQ]++
      inCs = true
      csName = 'irq'
      cnt[C['preempt.irq']]++
    }
    if (inCs) {
      cnt[C['preempt.inCs']]++
      if (reason === R_TICK) cnt[C['preempt.inCsTick']]++
      else if (reason === R_WAKEUP) cnt[C['preempt.inCsWakeup']]++
      else cnt[C['preempt.inCsYield']]++
      this.vmInCs[v.vmIdx]++
    }
    const now = this.env.now
    if (this.tracer && this.tracer.on(now)) this.tracer.add(now, 'preempt', rq.cpu, v.vmIdx, v.index, t?.id, csName, reason === R_TICK ? 'tick' : reason === R_WAKEUP ? 'wakeup' : 'yield-target')
  }

  /**
   * Bring busy/idle accounting to now. Measurement must not perturb the model: this never calls
   * update_curr (which would advance vruntime/min_vruntime at a point the kernel would not).
   */
  protected accountAll(): void {
    const now = this.env.now
    for (const rq of this.rqs) rq.account(now)
    this.regime.flush(now)
  }

  /** Execution time of a vCPU thread including its not-yet-charged current stint. */
  protected execOf(v: Vcpu): number {
    const se = v.se
    return se.sumExec + (v.hstate === H_RUNNING ? this.env.now - se.execStart : 0)
  }

  protected stealOf(v: Vcpu): number {
    return v.stealNs + (v.hstate === H_RUNNABLE ? this.env.now - v.runnableSince : 0)
  }

  protected snapshotBase(): void {
    this.accountAll()
    this.base = {
      cnt: this.cnt.slice(),
      hist: this.hist.snapshot(),
      vmOps: this.vms.map((vm) => vm.ops),
      sumExec: this.vms.map((vm) => vm.vcpus.reduce((a, v) => a + this.execOf(v), 0)),
      steal: this.vms.map((vm) => vm.vcpus.reduce((a, v) => a + this.stealOf(v), 0)),
      busy: this.rqs.map((r) => r.busyNs),
      idle: this.rqs.map((r) => r.idleNs),
      byKind: this.byKind.slice(),
      lockHolder: this.lockHolder,
      lockWaiter: this.lockWaiter,
      vmPreempt: this.vmPreempt.slice(),
      vmInCs: this.vmInCs.slice(),
      regime: this.regime.snapshot()
    }
    // the steal counter is recomputed from per-vCPU state at the end; keep it consistent
    this.base.cnt[C['vcpu.stealNs']] = this.vcpus.reduce((a, v) => a + this.stealOf(v), 0)
  }

  protected onSample(): void {
    const now = this.env.now
    this.seriesT.push(now)
    for (let i = 0; i < this.vms.length; i++) {
      const ops = this.vms[i].ops
      this.seriesOps[i].push(ops - this.lastOps[i])
      this.lastOps[i] = ops
      this.seriesPre[i].push(this.vmPreempt[i] - this.lastPre[i])
      this.lastPre[i] = this.vmPreempt[i]
      this.seriesInCs[i].push(this.vmInCs[i] - this.lastInCs[i])
      this.lastInCs[i] = this.vmInCs[i]
    }
    const next = now + this.s.sampleIntervalNs
    if (now < this.s.durationNs) this.env.at(Math.min(next, this.s.durationNs), EV_SAMPLE, 0, 0, PRIO_LATE)
  }

  /** Engine invariants (used by property tests). Throws SimInvariantError on violation. */
  checkInvariants(): void {
    const seen = new Int32Array(this.ents.length).fill(-1)
    for (const rq of this.rqs) {
      const list = rq.curr ? [rq.curr, ...rq.queue] : rq.queue
      for (const se of list) {
        simAssert(seen[se.id] < 0, `entity ${se.id} on pCPU ${rq.cpu} and ${seen[se.id]}`)
        seen[se.id] = rq.cpu
        simAssert(se.cpu === rq.cpu, `entity ${se.id} thinks it is on ${se.cpu}, found on ${rq.cpu}`)
      }
      // nothing runnable is stranded on an idle pCPU, except while its idle exit is pending (host.ts leaveIdle)
      if (rq.curr === null) simAssert(rq.queue.length === 0 || this.idleExitAt[rq.cpu] >= 0, `pCPU ${rq.cpu} idles with ${rq.queue.length} runnable and no idle exit pending`)
      let load = 0
      for (const se of list) load += se.weight
      simAssert(load === rq.load, `pCPU ${rq.cpu} load ${rq.load} != ${load}`)
      this.hs.checkRq(rq)
    }
    for (const v of this.vcpus) {
      const rq = v.se.onRq ? this.rqs[v.se.cpu] : null
      if (v.hstate === H_RUNNING) simAssert(rq !== null && rq.curr === v.se, `vCPU ${v.id} RUNNING but not curr`)
      else if (v.hstate === H_RUNNABLE) simAssert(rq !== null && rq.curr !== v.se && seen[v.se.id] >= 0, `vCPU ${v.id} RUNNABLE but not queued`)
      else simAssert(seen[v.se.id] < 0, `vCPU ${v.id} HALTED but on a runqueue`)
      if (v.hstate !== H_RUNNING) simAssert(v.g === G_OFF, `vCPU ${v.id} not running but guest state ${v.g}`)
      if (v.cur) simAssert(v.cur.home === v && v.cur.state === T_RUNNING, `vCPU ${v.id} current task inconsistent`)
      for (const t of v.grq) simAssert(t.state === T_RUNNABLE, `task ${t.id} in guest rq but state ${t.state}`)
      // no lost wakeups: a vCPU blocked in guest idle has nothing runnable and no pending interrupt
      if (v.hstate === H_HALTED && v.haltReason === HR_IDLE && !v.wakePending) {
        simAssert(v.grq.length === 0 && v.irqDevicePending === 0 && v.ipiQueue.length === 0, `vCPU ${v.id} idles in halt with work pending (lost wakeup)`)
      }
    }
    // every held lock is held consistently
    for (const t of this.tasks) {
      for (const l of t.heldLocks) {
        const lk = l as AnyLock
        if (lk instanceof PvQspinlock) simAssert(lk.holder === t, `${lk.name}: ${t.id} thinks it holds it, holder ${lk.holder?.id}`)
        else if (lk instanceof Mutex) simAssert(lk.owner === t, `${lk.name}: owner mismatch`)
        else if (lk instanceof Rwsem || lk instanceof Qrwlock) {
          if (t.outerWrite && l === t.outerLock) simAssert(lk.writer === t, `${lk.name}: writer mismatch`)
          else simAssert(lk.readers > 0, `${lk.name}: reader count 0 while ${t.id} reads`)
        }
      }
    }
    for (const l of this.locks) {
      if (l instanceof PvQspinlock && l.holder) simAssert(l.holder.heldLocks.includes(l) || l.holder.acqLock === l, `${l.name}: holder ${l.holder.id} does not know`)
      if (l instanceof Mutex && l.owner) simAssert(l.owner.heldLocks.includes(l) || l.owner.acqLock === l, `${l.name}: owner does not know`)
    }
    const now = this.env.now
    for (const rq of this.rqs) {
      rq.account(now)
      simAssert(Math.abs(rq.busyNs + rq.idleNs - now) < 1e-6, `pCPU ${rq.cpu}: busy ${rq.busyNs} + idle ${rq.idleNs} != ${now}`)
    }
  }

  result(): SimResult {
    this.accountAll()
    const s = this.s
    const now = this.env.now
    const b = this.base!
    const measured = Math.max(1, now - s.warmupNs)
    const cnt = this.cnt.slice()
    // veto extensions still open at the end (a vCPU that never left its CS) count up to now
    const vcpuVetoExtra = this.vcpuVetoExtraNs.slice()
    for (const v of this.vcpus) {
      if (this.vetoFromNs[v.id] < 0) continue
      const extra = this.execOf(v) - this.vetoFromNs[v.id]
      cnt[C['veto.extendedStints']]++
      cnt[C['veto.extraRunNs']] += extra
      vcpuVetoExtra[v.id] += extra
    }
    cnt[C['vcpu.stealNs']] = this.vcpus.reduce((a, v) => a + this.stealOf(v), 0)
    const byKind = {} as Record<CsKind, number>
    CS_KINDS.forEach((k, i) => { byKind[k] = this.byKind[i] - b.byKind[i] })
    const hist = this.hist.snapshot()
    let lastNz = 0
    for (let i = 0; i < hist.length; i++) if (hist[i] - b.hist[i] > 0) lastNz = i
    const out: SimResult = {
      engineVersion: this.version,
      policy: s.policy.id,
      policyParams: s.policy.params,
      scheduler: s.host.scheduler ?? 'cfs',
      seed: s.seed,
      simulatedNs: now,
      warmupNs: s.warmupNs,
      measuredNs: now - s.warmupNs,
      events: this.env.events,
      digest: (this.env.digest >>> 0).toString(16).padStart(8, '0'),
      vms: this.vms.map((vm, i) => {
        const ops = vm.ops - b.vmOps[i]
        const vetoExtra = vm.vcpus.reduce((a, v) => a + vcpuVetoExtra[v.id], 0)
        return {
          name: vm.name,
          vcpus: vm.vcpus.length,
          workload: vm.workloadName,
          ops,
          opsPerSec: (ops * 1e9) / measured,
          opsPerVcpuPerSec: (ops * 1e9) / measured / vm.vcpus.length,
          cpuTimeNs: Math.round(vm.vcpus.reduce((a, v) => a + this.execOf(v), 0) - b.sumExec[i]),
          stealNs: Math.round(vm.vcpus.reduce((a, v) => a + this.stealOf(v), 0) - b.steal[i]),
          vetoExtraNs: Math.round(vetoExtra),
          // per vCPU only where vetoes extended a stint (keeps results of kvm runs small)
          ...(vetoExtra > 0
            ? {
                vcpuVetoExtraNs: vm.vcpus.map((v) => Math.round(vcpuVetoExtra[v.id])),
                vcpuPaybackWaitNs: vm.vcpus.map((v) => Math.round(this.vcpuPaybackWaitNs[v.id]))
              }
            : {}),
          coRunning: this.coRunningOf(i, b.regime.coRunNs[i])
        }
      }),
      preemptions: {
        total: Math.round(cnt[C['preempt.total']] - b.cnt[C['preempt.total']]),
        inCriticalSection: { total: Math.round(cnt[C['preempt.inCs']] - b.cnt[C['preempt.inCs']]), byKind },
        lockHolder: this.lockHolder - b.lockHolder,
        lockWaiter: this.lockWaiter - b.lockWaiter
      },
      counters: countersToRecord(cnt, b.cnt),
      series: {
        intervalNs: s.sampleIntervalNs,
        t: this.seriesT.slice(),
        perVm: this.vms.map((vm, i) => ({ name: vm.name, ops: this.seriesOps[i].slice(), preemptions: this.seriesPre[i].slice(), inCsPreemptions: this.seriesInCs[i].slice() }))
      },
      lockWaitHistogram: { unit: 'ns', buckets: Array.from(hist.subarray(0, lastNz + 1), (x, i) => Math.round(x - b.hist[i])) },
      pcpuBusyNs: this.rqs.map((r, i) => Math.round(r.busyNs - b.busy[i])),
      pcpuIdleNs: this.rqs.map((r, i) => Math.round(r.idleNs - b.idle[i])),
      regime: this.regimeOf(measured)
    }
    if (s.name !== undefined) out.scenarioName = s.name
    if (this.tracer) {
      if (this.tracer.snapshotPending && this.env.now >= this.tracer.fromNs) this.tracer.takeSnapshot()
      out.trace = { fromNs: this.tracer.fromNs, toNs: this.tracer.toNs, dropped: this.tracer.dropped, ...(this.tracer.fullAtNs !== null ? { fullAtNs: this.tracer.fullAtNs } : {}), records: this.tracer.records() }
    }
    return out
  }

  /** result.regime over the measured window (see metrics/regime.ts). */
  protected regimeOf(measured: number): NonNullable<SimResult['regime']> {
    const b = this.base!
    let busy = 0
    for (let i = 0; i < this.rqs.length; i++) busy += this.rqs[i].busyNs - b.busy[i]
    const slots = this.regime.tickSlots - b.regime.tickSlots
    return {
      pcpuBusyShare: busy / (measured * this.rqs.length),
      multiRunnableTickShare: slots > 0 ? (this.regime.multiRunnableTicks - b.regime.multiRunnableTicks) / slots : 0,
      hostTicks: slots
    }
  }

  /** vms[i].coRunning: time-weighted distribution of how many of the VM's vCPUs are RUNNING at once. */
  protected coRunningOf(vm: number, base: Float64Array): NonNullable<SimResult['vms'][number]['coRunning']> {
    const acc = this.regime.coRunNs[vm]
    let total = 0
    let weighted = 0
    const d = new Array<number>(acc.length)
    for (let k = 0; k < acc.length; k++) {
      d[k] = acc[k] - base[k]
      total += d[k]
      weighted += k * d[k]
    }
    const share = d.map((x) => (total > 0 ? x / total : 0))
    return { mean: total > 0 ? weighted / total : 0, shareAtZero: share[0], shareAll: share[share.length - 1], shareByCount: share }
  }

}
