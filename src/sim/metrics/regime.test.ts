/**
 * Regime metrics (result.regime, vms[].coRunning): what they report on layouts whose regime is known,
 * and that measuring them does not perturb the trajectory.
 */
import { describe, expect, it } from 'vitest'
import { runScenario, resolveScenario } from '../index'
import { tinyScenario } from '../testing/build'

describe('regime metrics', () => {
  it('1 VM x 2 CPU-bound vCPUs on 2 pCPUs: all busy, no tick with a second runnable, both vCPUs always co-running', () => {
    const r = runScenario(resolveScenario(tinyScenario({ pcpus: 2, vms: [{ vcpus: 2, workload: 'cpu-bound' }], durationNs: 50_000_000 })))
    expect(r.regime!.pcpuBusyShare).toBeCloseTo(1, 6)
    expect(r.regime!.multiRunnableTickShare).toBe(0)
    expect(r.regime!.hostTicks).toBe(2 * 12) // HZ 250: ticks at 4, 8, ..., 48 ms on 2 pCPUs (50 ms is the end)
    const c = r.vms[0].coRunning!
    expect(c.shareByCount).toHaveLength(3)
    expect(c.shareAll).toBeCloseTo(1, 3) // only the start-up context switches are off-CPU
    expect(c.mean).toBeGreaterThan(1.99)
  })

  it('2 VMs x 2 CPU-bound vCPUs on 2 pCPUs: every tick finds two runnable, each VM runs one vCPU on average', () => {
    const r = runScenario(resolveScenario(tinyScenario({ pcpus: 2, vms: [{ vcpus: 2, workload: 'cpu-bound' }, { vcpus: 2, workload: 'cpu-bound' }], durationNs: 200_000_000 })))
    expect(r.regime!.pcpuBusyShare).toBeCloseTo(1, 6)
    expect(r.regime!.multiRunnableTickShare).toBe(1)
    for (const vm of r.vms) {
      const c = vm.coRunning!
      expect(c.shareByCount.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9)
      expect(c.mean).toBeGreaterThan(0.9)
      expect(c.mean).toBeLessThan(1.1)
    }
  })

  it('an idle guest: pCPUs mostly idle, vCPUs mostly not running', () => {
    const sleeper = { computeNs: { type: 'fixed' as const, ns: 20_000 }, sections: [{ kind: 'sleep' as const, holdNs: { type: 'fixed' as const, ns: 2_000_000 } }] }
    const r = runScenario(resolveScenario(tinyScenario({ pcpus: 4, vms: [{ vcpus: 4, workload: sleeper }], durationNs: 50_000_000 })))
    expect(r.regime!.pcpuBusyShare).toBeLessThan(0.2)
    expect(r.regime!.multiRunnableTickShare).toBe(0)
    expect(r.vms[0].coRunning!.shareAtZero).toBeGreaterThan(0.5)
  })

  it('does not perturb the trajectory: a different warm-up (snapshot instant) leaves events and series unchanged', () => {
    const base = tinyScenario({ pcpus: 2, vms: [{ vcpus: 3, workload: 'mixed-kernel' }, { vcpus: 2, workload: 'spinlock-heavy' }], durationNs: 40_000_000 })
    // (the digest covers the warm-up event's own position, so compare the trajectory as the determinism spec does)
    const a = runScenario(resolveScenario({ ...base, warmupNs: 5_000_000, sampleIntervalNs: 1_000_000 }))
    const b = runScenario(resolveScenario({ ...base, warmupNs: 13_000_000, sampleIntervalNs: 1_000_000 }))
    expect(b.events).toBe(a.events)
    expect(b.series).toEqual(a.series)
    expect(b.regime!.hostTicks).toBeLessThan(a.regime!.hostTicks)
  })
})
