/**
 * Small scenario builders for behavioural tests (pure; used by *.test.ts next to the models).
 */
import type { ScenarioInput, WorkloadInput } from '../../shared/scenario'
import type { SimResult, TraceRecord } from '../../shared/result'
import { resolveScenario } from '../scenario/resolve'
import { Simulation } from '../engine'

export interface TinyVm { vcpus: number; workload: string | WorkloadInput; pinning?: number[] }

/**
 * A small scenario for a behavioural spec. Starts in phase unless `start` is given: the specs assert on
 * mechanism timings from t = 0 (the product default, staggered starts, is tested on its own).
 */
export function tinyScenario(o: { pcpus: number; vms: TinyVm[]; durationNs: number; policy?: string; hz?: 100 | 250 | 300 | 1000; seed?: number; host?: Record<string, unknown>; guest?: Record<string, unknown>; start?: { mode: 'staggered' | 'in-phase' } }): ScenarioInput {
  return {
    host: { pcpus: o.pcpus, sockets: 1, hz: o.hz ?? 250, ...(o.host ?? {}) },
    guest: { ...(o.guest ?? {}) },
    vms: o.vms.map((v, i) => ({ name: `vm${i}`, vcpus: v.vcpus, workload: v.workload as never, ...(v.pinning ? { pinning: v.pinning } : {}) })),
    durationNs: o.durationNs,
    warmupNs: 0,
    seed: o.seed ?? 1,
    start: o.start ?? { mode: 'in-phase' },
    policy: { id: o.policy ?? 'kvm', params: {} }
  } as ScenarioInput
}

/** Run with a full trace; returns the result and the trace records. */
export function runTraced(input: ScenarioInput, checkEveryNs = 0): { r: SimResult; tr: TraceRecord[]; sim: Simulation } {
  const s = resolveScenario(input)
  const sim = new Simulation(s, 'test', { fromNs: 0, toNs: s.durationNs + 1, maxRecords: 5_000_000 })
  if (checkEveryNs > 0) {
    for (let t = checkEveryNs; t < s.durationNs; t += checkEveryNs) {
      sim.runUntil(t)
      sim.checkInvariants()
    }
  }
  sim.runUntil(s.durationNs)
  sim.checkInvariants()
  const r = sim.result()
  return { r, tr: r.trace!.records, sim }
}

/** A workload with one section kind and fixed times. */
export function oneSection(kind: string, holdNs: number, computeNs: number, extra: Record<string, unknown> = {}): WorkloadInput {
  return {
    computeNs: { type: 'fixed', ns: computeNs },
    sections: [{ kind: kind as never, weight: 1, lock: 'L', instances: 1, holdNs: { type: 'fixed', ns: holdNs }, ...extra }]
  }
}
