/**
 * What the CLI's VALIDATION.md and the app's Validation page both draw from a ValidationReport: the
 * targets of issue 11 and the data of the two figures (shared chart builders), so both show the same.
 */
import type { ValidationPoint, ValidationReport } from './validation'
import type { CommitSweepData, ValidationScatterData } from './charts/builders'

/** Done-when targets of issue 11 on held-out points. */
export const TARGETS = { mae: 0.1, maxAbsErr: 0.2, spearman: 0.8 } as const

export const layoutOf = (p: Pick<ValidationPoint, 'vms' | 'vcpusPerVm'>): string => `${p.vms} VM${p.vms > 1 ? 's' : ''} x ${p.vcpusPerVm}`

export function scatterData(r: ValidationReport): ValidationScatterData {
  return {
    title: 'Simulated vs measured normalised throughput',
    band: TARGETS.maxAbsErr,
    points: r.points
      .filter((p) => p.set !== 'reference' && p.measured.normalised !== null && p.simulated.normalised !== null)
      .map((p) => ({ benchmark: p.benchmark, label: layoutOf(p), set: p.set, measured: p.measured.normalised!, simulated: p.simulated.normalised! }))
  }
}

/** Per benchmark: measured and simulated normalised throughput against the commit ratio, 1-VM and 2-VM layouts apart. */
export function benchmarkData(r: ValidationReport, benchmark: string): CommitSweepData {
  const pts = r.points.filter((p) => p.benchmark === benchmark)
  const series: CommitSweepData['series'] = []
  for (const vms of [...new Set(pts.map((p) => p.vms))].sort()) {
    for (const side of ['measured', 'simulated'] as const) {
      const s = pts.filter((p) => p.vms === vms && p[side].normalised !== null).map((p) => {
        const v = p[side]
        const ci = v.ci95 ?? 0
        return { commit: (p.vms * p.vcpusPerVm) / p.pcpus, ratio: v.normalised!, low: v.normalised! - ci, high: v.normalised! + ci }
      })
      if (s.length) series.push({ name: `${side}, ${vms} VM${vms > 1 ? 's' : ''}`, points: s })
    }
  }
  return { title: `${benchmark}: normalised throughput vs vCPUs / host cores`, series, yName: 'normalised throughput' }
}

