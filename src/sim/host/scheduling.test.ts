/**
 * Behavioural specs of the host side: CFS tick and wakeup preemption, yield_to from PLE, PLE window
 * growth. Each test runs a tiny scenario with a full trace and asserts on the trace.
 */
import { describe, expect, it } from 'vitest'
import { oneSection, runTraced, tinyScenario } from '../testing/build'

describe('host CFS', () => {
  it('two CPU-bound vCPUs on one pCPU alternate every slice, preempted by the tick (check_preempt_tick)', () => {
    // 1 pCPU: latency 6 ms (factor 1), slice 3 ms each; at HZ=1000 the first tick with delta_exec > 3 ms is at 4 ms
    const { tr, r } = runTraced(tinyScenario({ pcpus: 1, hz: 1000, vms: [{ vcpus: 1, workload: 'cpu-bound' }, { vcpus: 1, workload: 'cpu-bound' }], durationNs: 30_000_000 }), 1_000_000)
    const pre = tr.filter((x) => x.kind === 'preempt')
    expect(pre.length).toBeGreaterThanOrEqual(6)
    expect(pre.every((x) => x.detail === 'tick')).toBe(true)
    const runs = tr.filter((x) => x.kind === 'run')
    const gaps = runs.slice(2).map((x, i) => x.t - runs[i + 1].t)
    expect(new Set(gaps)).toEqual(new Set([4_000_000]))
    // alternation: consecutive runs belong to different VMs
    for (let i = 1; i < runs.length; i++) expect(runs[i].vm).not.toBe(runs[i - 1].vm)
    // fair share within one slice
    expect(Math.abs(r.vms[0].cpuTimeNs - r.vms[1].cpuTimeNs)).toBeLessThanOrEqual(4_000_000)
  })

  it('a vCPU waking from a long halt preempts a CPU hog (wakeup preemption beyond wakeup_gran)', () => {
    const sleeper = { computeNs: { type: 'fixed' as const, ns: 50_000 }, sections: [{ kind: 'sleep' as const, holdNs: { type: 'fixed' as const, ns: 10_000_000 } }] }
    const { tr } = runTraced(tinyScenario({ pcpus: 1, hz: 1000, vms: [{ vcpus: 1, workload: 'cpu-bound' }, { vcpus: 1, workload: sleeper }], durationNs: 40_000_000 }), 1_000_000)
    const wakes = tr.filter((x) => x.kind === 'wake' && x.vm === 1)
    expect(wakes.length).toBeGreaterThanOrEqual(2)
    for (const w of wakes) {
      // at the wake instant the hog is preempted for reason 'wakeup' and the sleeper runs
      const same = tr.filter((x) => x.t === w.t)
      expect(same.some((x) => x.kind === 'preempt' && x.vm === 0 && x.detail === 'wakeup')).toBe(true)
      expect(same.some((x) => x.kind === 'run' && x.vm === 1)).toBe(true)
    }
  })
})

describe('PLE and directed yield (kvm_vcpu_on_spin -> yield_to)', () => {
  it('a spinner whose lock holder is preempted on the same pCPU yields to the holder at its PAUSE exit', () => {
    // two vCPUs of one VM pinned to one pCPU; 3 ms holds: the tick preempts the holder inside the section
    const { tr, r } = runTraced(tinyScenario({ pcpus: 1, hz: 1000, vms: [{ vcpus: 2, workload: oneSection('spinlock', 3_000_000, 10_000), pinning: [0, 0] }], durationNs: 20_000_000 }), 1_000_000)
    const lhp = tr.find((x) => x.kind === 'preempt' && x.cs === 'spinlock')
    expect(lhp).toBeDefined()
    const exit = tr.find((x) => x.kind === 'ple-exit' && x.t > lhp!.t)!
    expect(exit.vcpu).not.toBe(lhp!.vcpu)
    const at = tr.filter((x) => x.t === exit.t)
    expect(at.some((x) => x.kind === 'yield' && x.vcpu === exit.vcpu)).toBe(true)
    expect(at.some((x) => x.kind === 'run' && x.vcpu === lhp!.vcpu)).toBe(true)
    // the holder then leaves its critical section
    expect(tr.some((x) => x.kind === 'cs-exit' && x.vcpu === lhp!.vcpu && x.t > exit.t)).toBe(true)
    expect(r.counters['ple.directedYields']).toBeGreaterThan(0)
    expect(r.preemptions.lockHolder).toBeGreaterThan(0)
  })

  it('the PLE window doubles on every PAUSE exit of one wait (ple_window_grow = 2) and no exits happen with kvm-nople', () => {
    const sc = (policy: string) => tinyScenario({ pcpus: 2, policy, vms: [{ vcpus: 2, workload: oneSection('spinlock', 40_000, 1_000) }], durationNs: 60_000 })
    const { tr } = runTraced(sc('kvm'))
    const exits = tr.filter((x) => x.kind === 'ple-exit').map((x) => Number(x.detail))
    expect(exits.slice(0, 4)).toEqual([4096, 8192, 16384, 32768])
    // the spinner stays scheduled (undercommitted: no candidate), spin stretches grow with the window
    const t = tr.filter((x) => x.kind === 'ple-exit').map((x) => x.t)
    expect(t[2] - t[1]).toBeGreaterThan(t[1] - t[0])
    const noPle = runTraced(sc('kvm-nople'))
    expect(noPle.r.counters['ple.exits']).toBe(0)
  })
})
