/**
 * Co-scheduling check of issue 11 (the lockstep): how often a VM completes no op in a whole sample
 * interval, against what independent per-pCPU scheduling would give. With a VM of n vCPUs each holding
 * its pCPU a share p of the time, independent scheduling leaves all n off in a sample with probability
 * (1 - p)^n (an upper bound on the zero-op share for CPU-bound guests, whose vCPUs do work whenever they
 * run). A lockstep (all pCPUs switching on the same ticks) exceeds it. Pure: used by
 * src/sim/host/start.test.ts and scripts/lockstep-figure.ts.
 */
import type { SimResult } from '../../shared/result'

export interface ZeroSampleShare {
  /** Share of the measured samples (all VMs pooled) in which a VM did no op. */
  share: number
  /** The same share under independent per-pCPU scheduling, (1 - p)^n per VM, pooled. */
  bound: number
  /** Samples pooled. */
  n: number
}

/** Pools the VM-samples after `warmupNs` of several results. */
export function zeroSampleShare(results: readonly { r: SimResult; warmupNs: number }[]): ZeroSampleShare {
  let zero = 0
  let n = 0
  let bound = 0
  for (const { r, warmupNs } of results) {
    const t = r.series.t
    r.series.perVm.forEach((vm, i) => {
      const idx = t.map((_, k) => k).filter((k) => t[k] > warmupNs)
      const p = Math.min(1, r.vms[i].cpuTimeNs / (r.vms[i].vcpus * r.measuredNs))
      zero += idx.filter((k) => vm.ops[k] === 0).length
      n += idx.length
      bound += idx.length * (1 - p) ** r.vms[i].vcpus
    })
  }
  return { share: n > 0 ? zero / n : 0, bound: n > 0 ? bound / n : 0, n }
}
