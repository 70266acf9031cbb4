/**
 * Property tests over random small valid scenarios: the engine's invariants hold at every check point
 * (Simulation.checkInvariants: no vCPU on two pCPUs or queued twice, runqueue load/order consistent,
 * host state matches runqueue membership, no lost wakeups, every held lock held consistently, busy +
 * idle = elapsed time on every pCPU), trace time never goes backwards, and results are consistent.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { resolveScenario } from '../../src/sim/index'
import { Simulation } from '../../src/sim/engine'

const workloads = ['cpu-bound', 'spinlock-heavy', 'mutex-rwsem', 'rcu-ipi', 'mixed-kernel']
const dist = fc.oneof(
  fc.record({ type: fc.constant('fixed' as const), ns: fc.integer({ min: 0, max: 200_000 }) }),
  fc.record({ type: fc.constant('exp' as const), meanNs: fc.integer({ min: 100, max: 200_000 }) }),
  fc.record({ type: fc.constant('lognormal' as const), medianNs: fc.integer({ min: 100, max: 50_000 }), sigma: fc.double({ min: 0, max: 1.5, noNaN: true }) })
)
const section = fc.record({
  kind: fc.constantFrom('spinlock', 'rwlock-read', 'rwlock-write', 'mutex', 'rwsem-read', 'rwsem-write', 'rcu-read', 'synchronize-rcu', 'ipi', 'tlb-shootdown', 'sleep', 'none'),
  weight: fc.integer({ min: 1, max: 10 }),
  instances: fc.integer({ min: 1, max: 3 }),
  holdNs: dist,
  targets: fc.integer({ min: 0, max: 3 })
})
const customWorkload = fc.record({
  tasksPerVcpu: fc.integer({ min: 1, max: 3 }),
  computeNs: dist,
  sections: fc.array(section, { minLength: 0, maxLength: 4 }),
  irq: fc.record({ ratePerSec: fc.constantFrom(0, 0, 2000, 20000), handlerNs: dist, softirqNs: dist })
})

const scenario = fc.record({
  pcpus: fc.integer({ min: 1, max: 6 }),
  hz: fc.constantFrom(100, 250, 1000),
  policy: fc.constantFrom('kvm', 'kvm-nople'),
  noise: fc.integer({ min: 0, max: 1 }),
  pin: fc.boolean(),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  durationMs: fc.integer({ min: 2, max: 12 }),
  vms: fc.array(fc.record({ vcpus: fc.integer({ min: 1, max: 6 }), workload: fc.oneof(fc.constantFrom(...workloads), customWorkload) }), { minLength: 1, maxLength: 3 })
}).map((o) => ({
  host: { pcpus: o.pcpus, sockets: 1, hz: o.hz, noise: { tasksPerPcpu: o.noise } },
  vms: o.vms.map((v, i) => ({ name: `vm${i}`, vcpus: v.vcpus, workload: v.workload, ...(o.pin ? { pinning: Array.from({ length: v.vcpus }, (_, j) => (i + j) % o.pcpus) } : {}) })),
  durationNs: o.durationMs * 1_000_000,
  seed: o.seed,
  policy: { id: o.policy, params: {} }
}))

describe.each(['cfs', 'eevdf'] as const)('engine invariants over random scenarios (host scheduler %s)', (scheduler) => {
  it('hold at every check point and in the result', () => {
    fc.assert(fc.property(scenario, (input0) => {
      const input = scheduler === 'cfs' ? input0 : { ...input0, host: { ...input0.host, scheduler } }
      const s = resolveScenario(input)
      const sim = new Simulation(s, 'prop', { fromNs: 0, toNs: s.durationNs + 1, maxRecords: 1_000_000 })
      for (let t = 500_000; t < s.durationNs; t += 500_000) {
        sim.runUntil(t)
        sim.checkInvariants()
      }
      sim.runUntil(s.durationNs)
      sim.checkInvariants()
      const r = sim.result()
      const tr = r.trace!.records
      for (let i = 1; i < tr.length; i++) if (tr[i].t < tr[i - 1].t) throw new Error(`trace time went back at ${i}`)
      // no vCPU runs on two pCPUs at once: replay run/preempt/yield/halt per vCPU
      const where = new Map<string, number>()
      for (const x of tr) {
        const key = `${x.vm}/${x.vcpu}`
        if (x.kind === 'run') {
          const p = where.get(key)
          if (p !== undefined && p !== x.pcpu) throw new Error(`vCPU ${key} runs on ${x.pcpu} while on ${p}`)
          where.set(key, x.pcpu)
        } else if (x.kind === 'preempt' || x.kind === 'yield' || x.kind === 'halt') where.delete(key)
      }
      // CPU time conservation per pCPU over the measured window
      r.pcpuBusyNs.forEach((b, i) => expect(b + r.pcpuIdleNs[i]).toBe(r.measuredNs))
      const vmCpu = r.vms.reduce((a, v) => a + v.cpuTimeNs, 0)
      const busy = r.pcpuBusyNs.reduce((a, b) => a + b, 0)
      if (s.host.noise.tasksPerPcpu === 0) expect(Math.abs(vmCpu - busy)).toBeLessThanOrEqual(r.vms.length)
      else expect(vmCpu).toBeLessThanOrEqual(busy + r.vms.length)
      expect(r.preemptions.inCriticalSection.total).toBeLessThanOrEqual(r.preemptions.total)
      expect(r.lockWaitHistogram.buckets.reduce((a, b) => a + b, 0)).toBe(r.counters['lock.acquisitions'])
    }), { numRuns: 40, seed: 4242 })
  })
})
