// Temporary stub: replaced by the full engine.
import type { Scenario } from '../shared/scenario'
import type { SimResult } from '../shared/result'
import { CS_KINDS } from '../shared/result'
import { Environment } from './core/environment'
import { countersToRecord, N_COUNTERS } from './metrics/counters'

export class Simulation {
  readonly env = new Environment()
  constructor(private readonly s: Scenario, private readonly version: string, _trace?: { fromNs: number; toNs: number; maxRecords?: number }) {}
  get now(): number { return this.env.now }
  get events(): number { return this.env.events }
  run(_every: number, _poll: () => boolean): void { this.env.run({ until: this.s.durationNs }) }
  result(): SimResult {
    const s = this.s
    return {
      engineVersion: this.version, scenarioName: s.name, policy: s.policy.id, policyParams: s.policy.params, seed: s.seed,
      simulatedNs: s.durationNs, warmupNs: s.warmupNs, measuredNs: s.durationNs - s.warmupNs, events: 0, digest: '0',
      vms: s.vms.map((v) => ({ name: v.name, vcpus: v.vcpus, workload: typeof v.workload === 'string' ? v.workload : 'custom', ops: 0, opsPerSec: 0, opsPerVcpuPerSec: 0, cpuTimeNs: 0, stealNs: 0 })),
      preemptions: { total: 0, inCriticalSection: { total: 0, byKind: Object.fromEntries(CS_KINDS.map((k) => [k, 0])) as Record<(typeof CS_KINDS)[number], number> }, lockHolder: 0, lockWaiter: 0 },
      counters: countersToRecord(new Float64Array(N_COUNTERS)),
      series: { intervalNs: s.sampleIntervalNs, t: [], perVm: s.vms.map((v) => ({ name: v.name, ops: [], preemptions: [], inCsPreemptions: [] })) },
      lockWaitHistogram: { unit: 'ns', buckets: [] }, pcpuBusyNs: [], pcpuIdleNs: []
    }
  }
}
