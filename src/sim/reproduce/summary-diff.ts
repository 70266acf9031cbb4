/**
 * Comparison of two reproduce summaries (summary.json of `ecs-lab reproduce`, pure): for every point
 * present in both, the previous and current headline numbers and whether a conclusion changed.
 *
 * A point is scheduler / workload / commit / layout (/ policy for throughput). Conclusions compared:
 *  - throughput ratio vs kvm: "higher" (95 % CI above 1), "lower" (CI below 1) or "unresolved" (CI
 *    contains 1); a change of class (the CI now excludes / includes 1, or a resolved flip) marks the
 *    point, and so does a mean on the other side of 1 (direction flipped) when either CI excludes 1;
 *  - the paper-claim verdict of the point (ecs only), with the thresholds of the report's claims table:
 *    under-committed (1x) "yes" at >= 1.3x, over-committed at >= 2.0x, "direction only" at > 1.05x, each
 *    with the CI above 1, else "no";
 *  - in-CS preemptions ecs vs kvm: "meets 85 %" (reduction >= 0.85), "fewer", "same" (equal means),
 *    "more", "n/a" (kvm had none); a change of class marks the point.
 * Tick-path share (kvm in-CS preemptions via the tick / all kvm in-CS) is shown, not judged (summaries of
 * engines before 0.7.0 do not carry it).
 */
import { z } from 'zod'

// JSON writes NaN as null
const N = z.number().nullable()
const InCsRow = z.object({
  workload: z.string(), commit: z.number(), layout: z.string(),
  reduction: N, tickReduction: N,
  kvmTickShare: N.optional()
})
const RatioRow = z.object({
  workload: z.string(), commit: z.number(), layout: z.string(), policy: z.string(),
  ratio: N, low: N, high: N
})
/** summary.json as written by engine 0.6.0 and later (the fields added later are optional). */
export const ReproduceSummarySchema = z.object({
  engineVersion: z.string().optional(),
  inCsReduction: z.array(InCsRow),
  throughputRatio: z.array(RatioRow),
  abuse: z.array(z.object({ policy: z.string() }).passthrough()),
  eevdf: z.object({ inCsReduction: z.array(InCsRow), throughputRatio: z.array(RatioRow) }).optional()
})
export type ReproduceSummaryFile = z.infer<typeof ReproduceSummarySchema>

type Num = number | null | undefined
const fin = (x: Num): x is number => typeof x === 'number' && Number.isFinite(x)

export type RatioClass = 'higher' | 'lower' | 'unresolved' | 'n/a'
export function ratioClass(r: { ratio: Num; low: Num; high: Num }): RatioClass {
  if (!fin(r.ratio)) return 'n/a'
  if (fin(r.low) && r.low > 1) return 'higher'
  if (fin(r.high) && r.high < 1) return 'lower'
  return 'unresolved'
}

/** Paper-claim verdict of one ecs point (thresholds of the report's claims table). */
export function claimVerdict(commit: number, r: { ratio: Num; low: Num }): 'yes' | 'direction only' | 'no' | 'n/a' {
  if (!fin(r.ratio)) return 'n/a'
  const sig = fin(r.low) && r.low > 1
  const full = commit === 1 ? 1.3 : 2.0
  return r.ratio >= full && sig ? 'yes' : r.ratio > 1.05 && sig ? 'direction only' : 'no'
}

export type InCsClass = 'meets 85 %' | 'fewer' | 'same' | 'more' | 'n/a'
export function inCsClass(reduction: Num): InCsClass {
  if (!fin(reduction)) return 'n/a'
  return reduction >= 0.85 ? 'meets 85 %' : reduction > 0 ? 'fewer' : reduction === 0 ? 'same' : 'more'
}

export interface RatioDiff {
  key: string
  scheduler: string; workload: string; commit: number; layout: string; policy: string
  prev: { ratio: Num; low: Num; high: Num }
  cur: { ratio: Num; low: Num; high: Num }
  prevClass: RatioClass; curClass: RatioClass
  prevVerdict?: string; curVerdict?: string
  /** Reasons the conclusion changed (empty: unchanged). */
  changes: string[]
}
export interface InCsDiff {
  key: string
  scheduler: string; workload: string; commit: number; layout: string
  prev: Num; cur: Num
  prevClass: InCsClass; curClass: InCsClass
  prevTickShare: Num; curTickShare: Num
  changes: string[]
}
export interface SummaryDiff {
  ratios: RatioDiff[]
  inCs: InCsDiff[]
  /** Points of one summary only (keys). */
  onlyPrevious: string[]
  onlyCurrent: string[]
}

type Rows = { inCsReduction: z.infer<typeof InCsRow>[]; throughputRatio: z.infer<typeof RatioRow>[] }
const pointKey = (s: string, x: { workload: string; commit: number; layout: string }) => `${s}/${x.workload}/${x.commit}x/${x.layout}`

function parts(s: ReproduceSummaryFile): [string, Rows][] {
  return s.eevdf ? [['cfs', s], ['eevdf', s.eevdf]] : [['cfs', s]]
}

export function compareSummaries(previous: ReproduceSummaryFile, current: ReproduceSummaryFile): SummaryDiff {
  const ratios: RatioDiff[] = []
  const inCs: InCsDiff[] = []
  const prevKeys = new Set<string>()
  const curKeys = new Set<string>()
  const prevRatio = new Map<string, z.infer<typeof RatioRow>>()
  const prevInCs = new Map<string, z.infer<typeof InCsRow>>()
  for (const [sch, rows] of parts(previous)) {
    for (const r of rows.throughputRatio) { const k = `${pointKey(sch, r)}/${r.policy}`; prevRatio.set(k, r); prevKeys.add(k) }
    for (const r of rows.inCsReduction) { const k = pointKey(sch, r); prevInCs.set(k, r); prevKeys.add(k) }
  }
  for (const [sch, rows] of parts(current)) {
    for (const r of rows.throughputRatio) {
      const key = `${pointKey(sch, r)}/${r.policy}`
      curKeys.add(key)
      const p = prevRatio.get(key)
      if (!p) continue
      const prevClass = ratioClass(p)
      const curClass = ratioClass(r)
      const changes: string[] = []
      if (prevClass !== curClass) changes.push(`CI vs 1: ${prevClass} -> ${curClass}`)
      // a flip of the mean counts only where one of the two CIs excludes 1 (two unresolved means on either side of 1 are noise)
      if (fin(p.ratio) && fin(r.ratio) && (p.ratio - 1) * (r.ratio - 1) < 0 && (prevClass !== 'unresolved' || curClass !== 'unresolved')) changes.push('direction flipped')
      const d: RatioDiff = {
        key, scheduler: sch, workload: r.workload, commit: r.commit, layout: r.layout, policy: r.policy,
        prev: { ratio: p.ratio, low: p.low, high: p.high }, cur: { ratio: r.ratio, low: r.low, high: r.high }, prevClass, curClass, changes
      }
      if (r.policy === 'ecs') {
        d.prevVerdict = claimVerdict(p.commit, p)
        d.curVerdict = claimVerdict(r.commit, r)
        if (d.prevVerdict !== d.curVerdict) changes.push(`paper-claim verdict: ${d.prevVerdict} -> ${d.curVerdict}`)
      }
      ratios.push(d)
    }
    for (const r of rows.inCsReduction) {
      const key = pointKey(sch, r)
      curKeys.add(key)
      const p = prevInCs.get(key)
      if (!p) continue
      const prevClass = inCsClass(p.reduction)
      const curClass = inCsClass(r.reduction)
      inCs.push({
        key, scheduler: sch, workload: r.workload, commit: r.commit, layout: r.layout,
        prev: p.reduction, cur: r.reduction, prevClass, curClass,
        prevTickShare: p.kvmTickShare, curTickShare: r.kvmTickShare,
        changes: prevClass !== curClass ? [`in-CS preemptions ecs vs kvm: ${prevClass} -> ${curClass}`] : []
      })
    }
  }
  return {
    ratios, inCs,
    onlyPrevious: [...prevKeys].filter((k) => !curKeys.has(k)),
    onlyCurrent: [...curKeys].filter((k) => !prevKeys.has(k))
  }
}

const f2 = (x: Num) => (fin(x) ? x.toFixed(2) : 'n/a')
const pc = (x: Num) => (fin(x) ? `${(x * 100).toFixed(0)} %` : 'n/a')
/** A reduction 1 - ecs/kvm as the report's tables write it: "85 % fewer", "62 % more", "3.1x more". */
const redTxt = (x: Num) => (!fin(x) ? 'n/a' : x < -1 ? `${(1 - x).toFixed(1)}x more` : x < 0 ? `${(-x * 100).toFixed(0)} % more` : `${(x * 100).toFixed(0)} % fewer`)
const ciTxt = (r: { ratio: Num; low: Num; high: Num }) => (fin(r.ratio) ? (fin(r.low) && fin(r.high) && r.low !== r.high ? `${f2(r.ratio)} [${f2(r.low)}, ${f2(r.high)}]` : f2(r.ratio)) : 'n/a')
const tagOf = (x: { commit: number; layout: string }) => `${x.commit}x${x.layout === 'co-runner' ? ' + hog' : ''}`

/** Markdown section of a comparison (title given by the caller). */
export function summaryDiffMarkdown(d: SummaryDiff, prevLabel: string, curLabel: string): string[] {
  const L: string[] = []
  L.push(`Previous: ${prevLabel}; current: ${curLabel}. Every point present in both summaries; **changed** marks a changed conclusion ` +
    '(throughput: the 95 % CI now excludes or includes 1, the mean moved to the other side of 1 with either CI excluding 1, or the paper-claim verdict of the point changed; ' +
    'in-CS preemptions: ecs vs kvm moved between "meets 85 %", "fewer", "same", "more" and n/a = kvm had none). Paper-claim verdict of a point: the thresholds of the claims table ' +
    '(1x: 1.3x, over-committed: 2.0x; "direction only" above 1.05x; each needs the CI above 1).', '')
  const changed = [...d.ratios.filter((r) => r.changes.length).map((r) => `${r.scheduler.toUpperCase()} ${r.workload} ${tagOf(r)} ${r.policy}: ${ciTxt(r.prev)} -> ${ciTxt(r.cur)} (${r.changes.join('; ')})`),
    ...d.inCs.filter((r) => r.changes.length).map((r) => `${r.scheduler.toUpperCase()} ${r.workload} ${tagOf(r)}: in-CS ecs vs kvm ${redTxt(r.prev)} -> ${redTxt(r.cur)} (${r.changes.join('; ')})`)]
  L.push(changed.length ? `**Conclusions that changed (${changed.length}):**` : '**No conclusion changed** at the points present in both summaries.', '')
  for (const c of changed) L.push(`- ${c}`)
  if (changed.length) L.push('')
  L.push('| scheduler | workload | commit | ecs ratio previous | ecs ratio current | verdict previous -> current | in-CS ecs vs kvm previous -> current | kvm in-CS via tick previous -> current | changed |')
  L.push('|---|---|---|---|---|---|---|---|---|')
  for (const r of d.ratios.filter((x) => x.policy === 'ecs')) {
    const ic = d.inCs.find((x) => x.key === `${r.scheduler}/${r.workload}/${r.commit}x/${r.layout}`)
    const ch = r.changes.length > 0 || (ic?.changes.length ?? 0) > 0
    L.push(`| ${r.scheduler.toUpperCase()} | ${r.workload} | ${tagOf(r)} | ${ciTxt(r.prev)} | ${ciTxt(r.cur)} | ${r.prevVerdict} -> ${r.curVerdict} | ` +
      `${ic ? `${redTxt(ic.prev)} (${ic.prevClass}) -> ${redTxt(ic.cur)} (${ic.curClass})` : 'n/a'} | ${ic ? `${pc(ic.prevTickShare)} -> ${pc(ic.curTickShare)}` : 'n/a'} | ${ch ? '**changed**' : ''} |`)
  }
  L.push('')
  L.push('In-CS ecs vs kvm = in-CS preemptions per run under ecs against kvm (as in the tables below); n/a where kvm had none. ' +
    'Other policies (ecs-host, ecs-guest, pmtlock, ...) are compared the same way; their changes are in the list above.', '')
  if (d.onlyCurrent.length) L.push(`Points new in the current summary (no previous number): ${d.onlyCurrent.length} (e.g. ${d.onlyCurrent.slice(0, 3).join(', ')}).`, '')
  if (d.onlyPrevious.length) L.push(`Points of the previous summary not in the current one: ${d.onlyPrevious.length} (e.g. ${d.onlyPrevious.slice(0, 3).join(', ')}).`, '')
  return L
}
