/**
 * Comparison of two reproduce summaries (`ecs-lab reproduce --previous`): a hand-made pair whose
 * expected changes were worked out by hand from the rules in summary-diff.ts's header.
 */
import { describe, expect, it } from 'vitest'
import { compareSummaries, ReproduceSummarySchema, summaryDiffMarkdown } from './summary-diff'

// engine 0.6.0 format: no engineVersion, no kvmTickShare, no eevdf part; NaN written as null
const previous = ReproduceSummarySchema.parse({
  inCsReduction: [
    { workload: 'w1', commit: 1, layout: 'shared', reduction: null, tickReduction: null },
    { workload: 'w1', commit: 2, layout: 'shared', reduction: 0.9, tickReduction: 1 },
    { workload: 'w2', commit: 1, layout: 'shared', reduction: 0.2, tickReduction: null },
    { workload: 'w3', commit: 2, layout: 'shared', reduction: 0.3, tickReduction: null }
  ],
  throughputRatio: [
    { workload: 'w1', commit: 1, layout: 'shared', policy: 'ecs', ratio: 1.0, low: 0.99, high: 1.01 },
    { workload: 'w1', commit: 2, layout: 'shared', policy: 'ecs', ratio: 1.1, low: 1.02, high: 1.18 },
    { workload: 'w1', commit: 2, layout: 'shared', policy: 'pmtlock', ratio: 0.98, low: 0.9, high: 1.06 },
    { workload: 'w2', commit: 1, layout: 'shared', policy: 'ecs', ratio: 1.2, low: 1.1, high: 1.3 }
  ],
  abuse: [{ policy: 'kvm', victimShare: 0.5 }]
})

const current = ReproduceSummarySchema.parse({
  engineVersion: '0.7.0',
  inCsReduction: [
    { workload: 'w1', commit: 1, layout: 'shared', reduction: null, tickReduction: null, kvmTickShare: null },
    { workload: 'w1', commit: 2, layout: 'shared', reduction: 0.5, tickReduction: 1, kvmTickShare: 0.25 },
    // equal means under kvm and ecs: no longer "fewer"
    { workload: 'w3', commit: 2, layout: 'shared', reduction: 0, tickReduction: null, kvmTickShare: 0 }
  ],
  throughputRatio: [
    // unresolved -> resolved above 1 and past the 1x threshold (1.3): verdict no -> yes
    { workload: 'w1', commit: 1, layout: 'shared', policy: 'ecs', ratio: 1.4, low: 1.35, high: 1.45 },
    // resolved above 1 -> resolved below 1: class, direction and verdict (direction only -> no) change
    { workload: 'w1', commit: 2, layout: 'shared', policy: 'ecs', ratio: 0.9, low: 0.85, high: 0.95 },
    // the mean crosses 1 but both CIs contain 1: noise, no change
    { workload: 'w1', commit: 2, layout: 'shared', policy: 'pmtlock', ratio: 1.02, low: 0.95, high: 1.09 }
  ],
  abuse: [],
  eevdf: {
    inCsReduction: [],
    throughputRatio: [{ workload: 'w1', commit: 1, layout: 'shared', policy: 'ecs', ratio: 1, low: 1, high: 1 }]
  }
})

describe('compareSummaries', () => {
  const d = compareSummaries(previous, current)

  it('marks exactly the changed conclusions, with their reasons', () => {
    const byKey = Object.fromEntries(d.ratios.map((r) => [r.key, r.changes]))
    expect(byKey).toEqual({
      'cfs/w1/1x/shared/ecs': ['CI vs 1: unresolved -> higher', 'paper-claim verdict: no -> yes'],
      'cfs/w1/2x/shared/ecs': ['CI vs 1: higher -> lower', 'direction flipped', 'paper-claim verdict: direction only -> no'],
      'cfs/w1/2x/shared/pmtlock': []
    })
    expect(d.inCs.map((x) => [x.key, x.prevClass, x.curClass, x.prevTickShare, x.curTickShare, x.changes])).toEqual([
      ['cfs/w1/1x/shared', 'n/a', 'n/a', undefined, null, []],
      ['cfs/w1/2x/shared', 'meets 85 %', 'fewer', undefined, 0.25, ['in-CS preemptions ecs vs kvm: meets 85 % -> fewer']],
      ['cfs/w3/2x/shared', 'fewer', 'same', undefined, 0, ['in-CS preemptions ecs vs kvm: fewer -> same']]
    ])
  })

  it('lists the points of one summary only', () => {
    expect(d.onlyPrevious.sort()).toEqual(['cfs/w2/1x/shared', 'cfs/w2/1x/shared/ecs'])
    expect(d.onlyCurrent).toEqual(['eevdf/w1/1x/shared/ecs'])
  })

  it('writes the changes and the ecs table', () => {
    const md = summaryDiffMarkdown(d, 'old', 'new').join('\n')
    expect(md).toContain('**Conclusions that changed (4):**')
    expect(md).toContain('- CFS w1 2x ecs: 1.10 [1.02, 1.18] -> 0.90 [0.85, 0.95] (CI vs 1: higher -> lower; direction flipped; paper-claim verdict: direction only -> no)')
    expect(md).toContain('| CFS | w1 | 2x | 1.10 [1.02, 1.18] | 0.90 [0.85, 0.95] | direction only -> no | 90 % fewer (meets 85 %) -> 50 % fewer (fewer) | n/a -> 25 % | **changed** |')
    expect(md).toContain('| CFS | w1 | 1x | 1.00 [0.99, 1.01] | 1.40 [1.35, 1.45] | no -> yes | n/a (n/a) -> n/a (n/a) | n/a -> n/a | **changed** |')
    expect(md).not.toContain('pmtlock:')
  })

  it('says so when nothing changed', () => {
    expect(summaryDiffMarkdown(compareSummaries(current, current), 'a', 'a').join('\n')).toContain('**No conclusion changed**')
  })
})

describe('ReproduceSummarySchema', () => {
  it('names the bad field of a file that is not a summary', () => {
    const r = ReproduceSummarySchema.safeParse({ inCsReduction: [], throughputRatio: [{ workload: 'w', commit: 1, layout: 'shared', policy: 'ecs', ratio: '1.2', low: 1, high: 1 }], abuse: [] })
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.path).toEqual(['throughputRatio', 0, 'ratio'])
  })
})
