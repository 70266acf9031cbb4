/**
 * Behavioural specs of the PV qspinlock (qspinlock_paravirt.h): halt after SPIN_THRESHOLD, kick at
 * unlock, wait-early behind a halted predecessor, lock stealing while the head is halted.
 */
import { describe, expect, it } from 'vitest'
import { oneSection, runTraced, tinyScenario } from '../testing/build'
import { PvQspinlock } from './pv-qspinlock'
import { ACQ_OK, ACQ_SPIN, type LockHost } from './lock-host'
import type { Task } from '../guest/entities'
import { N_COUNTERS } from '../metrics/counters'

// 2^15 iterations x 16 cycles / 2.4 GHz
const THRESHOLD_NS = Math.round(32768 * 16 / 2.4)

describe('PV qspinlock', () => {
  it('a waiter spins SPIN_THRESHOLD iterations, halts (pv_wait), is kicked at unlock and then takes the lock', () => {
    // PLE off so the only relief is pv_wait; 1 ms holds and 50 us of work (longer than the wakeup latency)
    const { tr, r } = runTraced(tinyScenario({ pcpus: 2, policy: 'kvm-nople', vms: [{ vcpus: 2, workload: oneSection('spinlock', 1_000_000, 50_000) }], durationNs: 3_000_000 }), 100_000)
    const wait = tr.find((x) => x.kind === 'lock-wait')!
    const halt = tr.find((x) => x.kind === 'halt' && x.detail === 'pv_wait')!
    expect(halt.vcpu).toBe(wait.vcpu)
    expect(halt.t - wait.t).toBe(THRESHOLD_NS)
    const release = tr.find((x) => x.kind === 'cs-exit' && x.t > halt.t)!
    const kick = tr.find((x) => x.kind === 'kick' && x.t >= release.t)!
    expect(kick.t).toBe(release.t)
    expect(kick.vcpu).toBe(wait.vcpu)
    const wake = tr.find((x) => x.kind === 'wake' && x.vcpu === wait.vcpu && x.t > kick.t)!
    expect(wake.t - kick.t).toBe(6000) // costs.wakeLatencyNs
    const enter = tr.find((x) => x.kind === 'cs-enter' && x.vcpu === wait.vcpu && x.t > wake.t)!
    expect(enter).toBeDefined()
    expect(r.counters['pvlock.halts']).toBeGreaterThan(0)
    expect(r.counters['pvlock.kicks']).toBeGreaterThan(0)
  })

  it('waits early: a queued waiter behind a halted predecessor halts at its next 256-iteration check', () => {
    const wl = { computeNs: { type: 'uniform' as const, minNs: 1000, maxNs: 30000 }, sections: [{ kind: 'spinlock' as const, holdNs: { type: 'fixed' as const, ns: 2_000_000 } }] }
    const { tr, r } = runTraced(tinyScenario({ pcpus: 3, policy: 'kvm-nople', vms: [{ vcpus: 3, workload: wl }], durationNs: 1_000_000 }), 100_000)
    const waits = tr.filter((x) => x.kind === 'lock-wait')
    expect(waits.length).toBeGreaterThanOrEqual(2)
    const [head, second] = waits
    const hHead = tr.find((x) => x.kind === 'halt' && x.vcpu === head.vcpu)!
    const hSecond = tr.find((x) => x.kind === 'halt' && x.vcpu === second.vcpu)!
    expect(hHead.t - head.t).toBe(THRESHOLD_NS)
    // the second waiter halts well before its own threshold, within one check period after the head
    expect(hSecond.t - second.t).toBeLessThan(THRESHOLD_NS)
    expect(hSecond.t - hHead.t).toBeGreaterThanOrEqual(0)
    expect(hSecond.t - hHead.t).toBeLessThanOrEqual(Math.round(256 * 16 / 2.4))
    expect(r.counters['pvlock.waitEarly']).toBeGreaterThanOrEqual(1)
  })

  it('the holder can steal the lock back while the kicked head is still waking (pv_hybrid_queued_unfair_trylock)', () => {
    const { r } = runTraced(tinyScenario({ pcpus: 2, policy: 'kvm-nople', vms: [{ vcpus: 2, workload: oneSection('spinlock', 1_000_000, 1000) }], durationNs: 5_000_000 }), 100_000)
    expect(r.counters['pvlock.steals']).toBeGreaterThan(0)
  })
})

describe('virt_spin_lock (no PV spinlocks under a hypervisor): test-and-set, no queue', () => {
  // arch/x86/include/asm/qspinlock.h virt_spin_lock(): spin while lock->val != 0, then cmpxchg(0 -> LOCKED)
  const task = (id: number) => ({ id, spinSince: 0, spinBudgetNs: 0 }) as unknown as Task
  function host(running: Set<Task>) {
    const granted: Task[] = []
    const h = {
      now: 0, cnt: new Float64Array(N_COUNTERS), pvSpinlocks: false,
      executing: (t: Task) => running.has(t), ownerOnCpu: (t: Task) => running.has(t),
      grant: (t: Task) => { granted.push(t) }, wakeTask: () => {}, kick: () => {}, respin: () => {}, policySpins: () => false
    }
    return { h: h as unknown as LockHost, granted }
  }

  it('unlock hands the lock to an executing spinner, skipping an earlier spinner whose vCPU is descheduled', () => {
    const [a, b, c] = [task(1), task(2), task(3)]
    const running = new Set([a, c])
    const { h, granted } = host(running)
    const l = new PvQspinlock(0, 'L')
    expect(l.acquire(h, a)).toBe(ACQ_OK)
    expect(l.acquire(h, b)).toBe(ACQ_SPIN)
    expect(l.acquire(h, c)).toBe(ACQ_SPIN)
    expect(l.head).toBeNull() // no MCS queue
    l.release(h, a)
    expect(granted).toEqual([c])
    expect(l.holder).toBe(c)
  })

  it('a lock freed while every spinner is descheduled goes to the next task that looks (no convoy), later spinners still get it', () => {
    const [a, b, d] = [task(1), task(2), task(4)]
    const { h, granted } = host(new Set([a]))
    const l = new PvQspinlock(0, 'L')
    l.acquire(h, a)
    expect(l.acquire(h, b)).toBe(ACQ_SPIN)
    l.release(h, a)
    expect(granted).toEqual([])
    expect(l.holder).toBeNull()
    // a new arrival takes the free lock on its fast path although b waited first
    expect(l.acquire(h, d)).toBe(ACQ_OK)
    expect(l.onSpin(h, b)).toBe(ACQ_SPIN)
    l.release(h, d)
    // b's vCPU runs again: its atomic_read sees 0 and its cmpxchg wins
    expect(l.onSpin(h, b)).toBe(ACQ_OK)
    expect(l.holder).toBe(b)
  })

  it('in a run: no pv_wait, and 4 spinning vCPUs on 2 pCPUs keep most of the throughput of 2 (the FIFO convoy kept ~5 %)', () => {
    const wl = { computeNs: { type: 'exp' as const, meanNs: 40_000 }, sections: [{ kind: 'spinlock' as const, lock: 'L', instances: 1, holdNs: { type: 'exp' as const, meanNs: 5_000 } }] }
    const per = (vcpus: number) => {
      const { r } = runTraced(tinyScenario({ pcpus: 2, policy: 'kvm-nople', guest: { pvSpinlocks: false }, host: { haltPoll: { maxNs: 0 } }, vms: [{ vcpus, workload: wl }], durationNs: 200_000_000 }))
      return { ops: r.vms[0].ops, r }
    }
    const two = per(2)
    const four = per(4)
    expect(four.r.counters['pvlock.halts'] ?? 0).toBe(0)
    expect(four.r.preemptions.total).toBeGreaterThan(0)
    // same pCPU time; losses are lock-holder preemption only (a TAS lock has no waiter convoy)
    expect(four.ops / two.ops).toBeGreaterThan(0.5)
  })
})
