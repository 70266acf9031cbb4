/**
 * `tsx bench/seed-compare.ts OLD.json NEW.json`: statistical equivalence of two golden files written
 * with `bench/golden.ts --seeds N` (e.g. before / after a change of the random-variate generators).
 * Per scenario: total ops/s (all VMs) and mean lock wait, mean and 95% CI over the seeds, and Welch's t
 * for the difference; |t| above the two-sided 1% critical value is flagged. With ~48 scenarios a few
 * flags at the 5% level are expected by chance alone.
 */
import { readFileSync } from 'node:fs'

interface R { vms: { opsPerSec: number }[]; counters: Record<string, number> }
const [a, b] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, R>)
const groups = new Map<string, { old: R[]; new: R[] }>()
for (const [src, key] of [[a, 'old'], [b, 'new']] as const) {
  for (const [name, r] of Object.entries(src)) {
    const g = name.slice(0, name.lastIndexOf('/'))
    if (!groups.has(g)) groups.set(g, { old: [], new: [] })
    groups.get(g)![key].push(r)
  }
}
// two-sided t critical values by degrees of freedom (0.05 and 0.01)
const T05 = [0, 12.71, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228]
const T01 = [0, 63.66, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.25, 3.169]
function stats(xs: number[]): { m: number; v: number; n: number } {
  const n = xs.length
  const m = xs.reduce((s, x) => s + x, 0) / n
  const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1)
  return { m, v, n }
}
const metrics: [string, (r: R) => number][] = [
  ['ops/s', (r) => r.vms.reduce((s, v) => s + v.opsPerSec, 0)],
  ['lock wait ns', (r) => (r.counters['lock.acquisitions'] > 0 ? r.counters['lock.waitNs'] / r.counters['lock.acquisitions'] : 0)]
]
let n05 = 0
let n01 = 0
let total = 0
for (const [g, { old, new: nw }] of groups) {
  const cells: string[] = []
  for (const [mname, f] of metrics) {
    const o = stats(old.map(f))
    const w = stats(nw.map(f))
    const se = Math.sqrt(o.v / o.n + w.v / w.n)
    const t = se > 0 ? (w.m - o.m) / se : w.m === o.m ? 0 : Infinity
    const df = Math.min(10, Math.max(1, Math.round(se ** 4 / ((o.v / o.n) ** 2 / (o.n - 1) + (w.v / w.n) ** 2 / (w.n - 1)) || 1)))
    const ci = (s: { m: number; v: number; n: number }) => T05[Math.min(10, s.n - 1)] * Math.sqrt(s.v / s.n)
    total++
    let flag = ''
    if (Math.abs(t) > T05[df]) { n05++; flag = ' *' }
    if (Math.abs(t) > T01[df]) { n01++; flag = ' **' }
    cells.push(`${mname} ${o.m.toPrecision(5)} +-${ci(o).toPrecision(2)} -> ${w.m.toPrecision(5)} +-${ci(w).toPrecision(2)} (${((w.m / o.m - 1) * 100).toFixed(1)}%, t=${t.toFixed(2)})${flag}`)
  }
  process.stdout.write(`${g.padEnd(40)} ${cells.join(' | ')}\n`)
}
process.stdout.write(`\n${total} comparisons: ${n05} differ at the 5% level (${(0.05 * total).toFixed(1)} expected by chance), ${n01} at the 1% level (${(0.01 * total).toFixed(1)} expected)\n`)
