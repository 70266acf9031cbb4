/**
 * Behavioural specs of the eCS policy family (ecs-model.md §2.3-2.5, §5.3): the tick veto in both
 * modes and with a cap, the PLE in-CS first pass, the blocked-waiter spin-vs-sleep rule, and the
 * host-only / guest-only switches — first on the hooks directly, then end to end in the engine.
 */
import { describe, expect, it } from 'vitest'
import { resolveScenario } from '../scenario/resolve'
import { runScenario } from '../index'
import { findPolicy } from './registry'
import type { HostPolicy, VcpuPolicyView } from './types'
import { oneSection, tinyScenario } from '../testing/build'

function make(id: string, params: Record<string, unknown> = {}): HostPolicy {
  const def = findPolicy(id)
  if (!def) throw new Error(`no policy ${id}`)
  const p = def.paramsSchema.safeParse(params)
  if (!p.success) throw new Error(p.error.message)
  return def.create(p.data, { pleGap: 128 })
}

function view(o: Partial<VcpuPolicyView> = {}): VcpuPolicyView {
  return { index: 0, vmIdx: 0, preemptCount: 0, fakePreemptCount: 0, stPreempted: 0, stOverloaded: 0, hostPreempted: false, halted: false, preemptToggle: 0, vetoStreak: 0, boosts: 0, ...o }
}

describe('eCS tick veto (kvm_arch_check_schedule)', () => {
  it('ecs vetoes every tick that finds the vCPU in a critical section, kvm none', () => {
    const ecs = make('ecs')
    const kvm = make('kvm')
    const inCs = view({ preemptCount: 1 })
    for (let i = 0; i < 5; i++) expect(ecs.tickVeto(inCs, true)).toBe(true)
    expect(ecs.tickVeto(view({ fakePreemptCount: 2 }), true)).toBe(true) // mutex/rwsem holds count too
    expect(ecs.tickVeto(view(), true)).toBe(false)
    expect(kvm.tickVeto(inCs, true)).toBe(false)
  })

  it('ecs-alternate vetoes every other in-CS tick (the toggle flips on each one)', () => {
    const alt = make('ecs-alternate')
    const v = view({ preemptCount: 1 })
    expect([1, 2, 3, 4, 5, 6].map(() => alt.tickVeto(v, true))).toEqual([true, false, true, false, true, false])
    // ticks outside a CS do not flip it
    const w = view()
    alt.tickVeto(w, true)
    expect(w.preemptToggle).toBe(0)
  })

  it('a cap of k avoided preemptions per run stint, reset at sched-in', () => {
    const capped = make('ecs', { vetoCap: 2 })
    const v = view({ preemptCount: 1 })
    // ticks that would not preempt anyway do not use up the cap
    expect(capped.tickVeto(v, false)).toBe(true)
    expect([capped.tickVeto(v, true), capped.tickVeto(v, true), capped.tickVeto(v, true)]).toEqual([true, true, false])
    capped.onSchedIn(v)
    expect(capped.tickVeto(v, true)).toBe(true)
  })

  it('params are validated by the schema', () => {
    expect(findPolicy('ecs')!.paramsSchema.safeParse({ vetoMode: 'sometimes' }).success).toBe(false)
    expect(findPolicy('ecs')!.paramsSchema.safeParse({ vetoCap: 0 }).success).toBe(false)
    expect(findPolicy('ecs')!.paramsSchema.safeParse({ bogus: 1 }).success).toBe(false)
    expect(() => resolveScenario({ ...tinyScenario({ pcpus: 1, vms: [{ vcpus: 1, workload: 'cpu-bound' }], durationNs: 1_000_000 }), policy: { id: 'ecs', params: { vetoMode: 'x' } } })).toThrow(/vetoMode/)
  })
})

describe('eCS nice-boost variant (disabled code of the patch)', () => {
  it('boosts to nice -6 for up to 8 ticks that would preempt, then nice +7, back to nice 0 outside a CS', () => {
    const b = make('ecs', { boost: 'nice' })
    const v = view({ preemptCount: 1 })
    expect(b.tickVeto(v, true)).toBe(false) // the boost replaces the veto
    expect(b.tickWeight!(v, false, 1024)).toBe(1024) // nothing to avoid yet
    const ws = Array.from({ length: 9 }, () => b.tickWeight!(v, true, 1024))
    expect(ws.slice(0, 8)).toEqual(Array(8).fill(3906))
    expect(ws[8]).toBe(215)
    const out = { ...v, preemptCount: 0 }
    expect(b.tickWeight!(out, true, 1024)).toBe(1024)
    expect(out.boosts).toBe(0)
    expect(make('ecs').tickWeight).toBeUndefined()
  })
})

describe('eCS PLE first pass (kvm_vcpu_on_spin)', () => {
  it('picks the preempted, non-halted vCPU inside a critical section; else falls back', () => {
    const ecs = make('ecs')
    const me = view({ index: 0, preemptCount: 1 })
    const vcpus = [
      me,
      view({ index: 1, hostPreempted: true }), // preempted, not in CS
      view({ index: 2, hostPreempted: true, halted: true, preemptCount: 1 }), // in CS but halted
      view({ index: 3, preemptCount: 1 }), // in CS but running
      view({ index: 4, hostPreempted: true, fakePreemptCount: 1 }) // the one
    ]
    expect(ecs.pleCandidate(me, vcpus)).toBe(4)
    expect(ecs.pleCandidate(me, vcpus.slice(0, 4))).toBe(-1)
    expect(make('kvm').pleCandidate(me, vcpus)).toBe(-1)
    expect(make('ecs-guest').pleCandidate(me, vcpus)).toBe(-1)
    expect(make('ecs-host').pleCandidate(me, vcpus)).toBe(4)
  })
})

describe('eCS blocked-waiter rule (__mutex_lock_common / rwsem writer slowpath)', () => {
  it('spins when the guest runqueue has one task and the pCPU is not overloaded, else sleeps', () => {
    const ecs = make('ecs')
    expect(ecs.blockedWaiterSpins(view({ stOverloaded: 0 }), 1, 'mutex', 1)).toBe(true)
    expect(ecs.blockedWaiterSpins(view({ stOverloaded: 1 }), 1, 'mutex', 1)).toBe(false)
    expect(ecs.blockedWaiterSpins(view({ stOverloaded: 0 }), 2, 'rwsem', 1)).toBe(false)
    expect(make('kvm').blockedWaiterSpins(view(), 1, 'mutex', 1)).toBe(false)
    expect(make('ecs-host').blockedWaiterSpins(view(), 1, 'mutex', 1)).toBe(false)
    expect(make('ecs-guest').blockedWaiterSpins(view(), 1, 'mutex', 1)).toBe(true)
  })

  it('as released reads steal_time.overloaded as written at vCPU load, not the run queue now', () => {
    // loaded alone (flag 0), then a second thread became runnable on the pCPU (nr_running 2)
    expect(make('ecs').blockedWaiterSpins(view({ stOverloaded: 0 }), 1, 'mutex', 2)).toBe(true)
    // the 'live' what-if sees the current run queue in both directions
    const live = make('ecs', { overloaded: 'live' })
    expect(live.blockedWaiterSpins(view({ stOverloaded: 0 }), 1, 'mutex', 2)).toBe(false)
    expect(live.blockedWaiterSpins(view({ stOverloaded: 1 }), 1, 'rwsem', 1)).toBe(true)
    expect(live.blockedWaiterSpins(view({ stOverloaded: 1 }), 2, 'rwsem', 1)).toBe(false)
  })
})

describe('eCS end to end in the engine', () => {
  // one pCPU shared by a vCPU that holds a 2 ms spinlock most of the time and a CPU-bound vCPU:
  // the slice (12 ms at 2 entities) often expires inside the section
  const longCs = (policy: string, params: Record<string, unknown> = {}) => {
    const input = tinyScenario({ pcpus: 1, hz: 1000, vms: [{ vcpus: 1, workload: oneSection('spinlock', 2_000_000, 200_000), pinning: [0] }, { vcpus: 1, workload: 'cpu-bound', pinning: [0] }], durationNs: 300_000_000, policy })
    input.policy = { id: policy, params }
    return runScenario(resolveScenario(input))
  }

  it('a tick that finds the vCPU in a CS preempts it under kvm and not under ecs', () => {
    const kvm = longCs('kvm')
    const ecs = longCs('ecs')
    expect(kvm.counters['preempt.inCsTick']).toBeGreaterThan(5)
    expect(ecs.counters['preempt.inCsTick']).toBe(0)
    expect(ecs.counters['host.vetoes']).toBeGreaterThan(5)
    expect(ecs.counters['veto.extraRunNs']).toBeGreaterThan(0)
    // the extra run time is paid back: the extended vCPU waits after its stint
    expect(ecs.counters['veto.paybackWaits']).toBeGreaterThan(0)
    // per vCPU: all of it went to the vCPU in the long section, none to the CPU-bound neighbour
    const [cs, hog] = ecs.vms
    expect(cs.vcpuVetoExtraNs).toHaveLength(1)
    expect(cs.vcpuVetoExtraNs![0]).toBe(cs.vetoExtraNs)
    expect(cs.vcpuVetoExtraNs![0]).toBeGreaterThan(0)
    expect(cs.vcpuPaybackWaitNs![0]).toBeGreaterThan(0)
    expect(hog.vetoExtraNs).toBe(0)
    expect(hog.vcpuVetoExtraNs).toBeUndefined()
    expect(kvm.vms[0].vcpuVetoExtraNs).toBeUndefined()
  })

  it('ecs-alternate removes fewer in-CS tick preemptions than ecs; a cap of 1 bounds each extension', () => {
    const kvm = longCs('kvm')
    const alt = longCs('ecs-alternate')
    const cap = longCs('ecs', { vetoCap: 1 })
    expect(alt.counters['host.vetoFlags']).toBeGreaterThan(0)
    expect(alt.counters['preempt.inCsTick']).toBeLessThanOrEqual(kvm.counters['preempt.inCsTick'])
    expect(cap.counters['host.vetoes']).toBeLessThanOrEqual(cap.counters['host.tickPreemptions'] + 1)
    // one avoided preemption per stint is at most one tick (1 ms at HZ 1000) of extra time... until the CS ends
    expect(cap.counters['veto.extendedStints']).toBeGreaterThan(0)
  })

  it('under the nice boost a vCPU that stays in its CS does not starve its pCPU neighbour, unlike the veto', () => {
    const base = (policy: string, params: Record<string, unknown> = {}) => {
      const input = tinyScenario({ pcpus: 1, hz: 1000, vms: [{ vcpus: 1, workload: oneSection('rcu-read', 50_000_000, 1_000), pinning: [0] }, { vcpus: 1, workload: 'cpu-bound', pinning: [0] }], durationNs: 300_000_000, policy })
      input.policy = { id: policy, params }
      return runScenario(resolveScenario(input))
    }
    const share = (r: ReturnType<typeof base>) => r.vms[1].cpuTimeNs / (r.vms[0].cpuTimeNs + r.vms[1].cpuTimeNs)
    const kvm = share(base('kvm'))
    const veto = share(base('ecs'))
    const boost = base('ecs', { boost: 'nice' })
    expect(boost.counters['boost.boosts']).toBeGreaterThan(0)
    expect(kvm).toBeGreaterThan(0.4)
    expect(veto).toBeLessThan(0.05)
    // 8 boosted ticks, then the nice +7 penalty while the 50 ms section lasts: the neighbour keeps running
    expect(share(boost)).toBeGreaterThan(0.2)
  })

  it('a blocked mutex waiter spins when its pCPU is not overloaded and sleeps when it is', () => {
    const wl = { computeNs: { type: 'exp' as const, meanNs: 20_000 }, sections: [{ kind: 'mutex' as const, lock: 'm', holdNs: { type: 'exp' as const, meanNs: 200_000 } }] }
    // the owner's vCPU shares pCPU 0 with a CPU-bound vCPU (so it gets preempted and waiters block;
    // ecs-guest: no veto keeping the owner on its pCPU); the waiter on pCPU 1 is alone there:
    // steal_time.overloaded = 0 -> it keeps spinning
    const alone = tinyScenario({ pcpus: 2, vms: [{ vcpus: 2, workload: wl, pinning: [0, 1] }, { vcpus: 1, workload: 'cpu-bound', pinning: [0] }], durationNs: 100_000_000, policy: 'ecs-guest' })
    const a = runScenario(resolveScenario(alone))
    expect(a.counters['mutex.spinInsteadOfSleep']).toBeGreaterThan(0)
    // overloaded: a CPU-bound vCPU shares each pCPU, so steal_time.overloaded = 1 at every entry
    const shared = tinyScenario({ pcpus: 2, vms: [{ vcpus: 2, workload: wl, pinning: [0, 1] }, { vcpus: 2, workload: 'cpu-bound', pinning: [0, 1] }], durationNs: 100_000_000, policy: 'ecs-guest' })
    const s = runScenario(resolveScenario(shared))
    expect(s.counters['mutex.spinInsteadOfSleep']).toBe(0)
    expect(s.counters['mutex.sleeps']).toBeGreaterThan(0)
    // kvm: always sleeps
    const k = runScenario(resolveScenario({ ...alone, policy: { id: 'kvm', params: {} } }))
    expect(k.counters['mutex.spinInsteadOfSleep']).toBe(0)
    expect(k.counters['mutex.sleeps']).toBeGreaterThan(0)
  })

  it('the released overloaded hint goes stale: a waiter loaded alone keeps spinning after a neighbour wakes', () => {
    const wl = { computeNs: { type: 'exp' as const, meanNs: 20_000 }, sections: [{ kind: 'mutex' as const, lock: 'm', holdNs: { type: 'exp' as const, meanNs: 200_000 } }] }
    // each pCPU is shared with a vCPU that sleeps half of the time (its vCPU halts): the mutex vCPUs are
    // often loaded while the neighbour is halted (steal_time.overloaded = 0), then the neighbour wakes
    const sleepy = { computeNs: { type: 'exp' as const, meanNs: 1_000_000 }, sections: [{ kind: 'sleep' as const, holdNs: { type: 'exp' as const, meanNs: 1_000_000 } }] }
    const mk = (params: Record<string, unknown>) => runScenario(resolveScenario({
      ...tinyScenario({ pcpus: 2, vms: [{ vcpus: 2, workload: wl, pinning: [0, 1] }, { vcpus: 2, workload: sleepy, pinning: [0, 1] }], durationNs: 200_000_000, policy: 'ecs-guest' }),
      policy: { id: 'ecs-guest', params }
    }))
    const stale = mk({})
    const live = mk({ overloaded: 'live' })
    expect(stale.counters['mutex.spinInsteadOfSleep']).toBeGreaterThan(0)
    expect(stale.counters['bww.spinWhileOverloaded']).toBeGreaterThan(0)
    expect(live.counters['mutex.spinInsteadOfSleep']).toBeGreaterThan(0)
    expect(live.counters['bww.spinWhileOverloaded']).toBe(0)
  })

  it('ecs-host vetoes but never spins a blocked waiter; ecs-guest spins but never vetoes', () => {
    const wl = { computeNs: { type: 'exp' as const, meanNs: 20_000 }, sections: [{ kind: 'mutex' as const, lock: 'm', holdNs: { type: 'exp' as const, meanNs: 3_000_000 } }] }
    const mk = (policy: string) => runScenario(resolveScenario(tinyScenario({ pcpus: 2, hz: 1000, vms: [{ vcpus: 2, workload: wl, pinning: [0, 1] }, { vcpus: 1, workload: 'cpu-bound', pinning: [0] }], durationNs: 200_000_000, policy })))
    const host = mk('ecs-host')
    const guest = mk('ecs-guest')
    expect(host.counters['host.vetoes']).toBeGreaterThan(0)
    expect(host.counters['mutex.spinInsteadOfSleep']).toBe(0)
    expect(guest.counters['host.vetoes']).toBe(0)
    expect(guest.counters['mutex.spinInsteadOfSleep']).toBeGreaterThan(0)
  })

  it('a wakeup onto the spinner\'s vCPU ends the spin (need_resched): two tasks per vCPU do not livelock', () => {
    const wl = { tasksPerVcpu: 2, computeNs: { type: 'exp' as const, meanNs: 20_000 }, sections: [
      { kind: 'mutex' as const, lock: 'dir', instances: 2, holdNs: { type: 'exp' as const, meanNs: 8_000 } },
      { kind: 'sleep' as const, holdNs: { type: 'exp' as const, meanNs: 100_000 } }
    ] }
    const r = runScenario(resolveScenario(tinyScenario({ pcpus: 4, vms: [{ vcpus: 4, workload: wl }], durationNs: 100_000_000, policy: 'ecs' })))
    const k = runScenario(resolveScenario(tinyScenario({ pcpus: 4, vms: [{ vcpus: 4, workload: wl }], durationNs: 100_000_000, policy: 'kvm' })))
    expect(r.vms[0].ops).toBeGreaterThan(0.5 * k.vms[0].ops)
  })
})
