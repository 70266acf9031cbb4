/**
 * `npx tsx bench/warmup-transient.ts [--ms 100] [--seeds 3] [--policies kvm,ecs]`: how long the start-up
 * transient of each built-in preset lasts, to choose the Run form's default warm-up (issue 15).
 *
 * Each preset runs from t = 0 with the default staggered start, no warm-up and one sample per ms. The
 * steady level is the mean of the second half of the run; a run has settled at the first ms from which
 * the 5-ms rolling mean of total ops (all VMs) stays within ±10 % of that level to the end, and every
 * VM's own 5-ms rolling mean within ±20 % of its steady level (a VM starved at the start shows there).
 * Prints one row per preset and policy: settle time per seed, and the largest.
 */
import { resolveScenario, runScenario } from '../src/sim/index'
import { SCENARIO_PRESETS } from '../src/sim/scenario/presets'

const args = process.argv.slice(2)
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1]! : dflt
}
const durationMs = Number(opt('ms', '100'))
const seeds = Number(opt('seeds', '3'))
const policies = opt('policies', 'kvm,ecs').split(',')
const WINDOW = 5

/** First index from which the rolling mean of `xs` stays within `tol` x steady to the end. */
function settleIndex(xs: readonly number[], tol: number): number {
  const steadyFrom = Math.floor(xs.length / 2)
  const steady = xs.slice(steadyFrom).reduce((a, b) => a + b, 0) / (xs.length - steadyFrom)
  if (!(steady > 0)) return 0
  let last = -1
  for (let i = 0; i + WINDOW <= xs.length; i++) {
    const m = xs.slice(i, i + WINDOW).reduce((a, b) => a + b, 0) / WINDOW
    if (Math.abs(m - steady) > tol * steady) last = i
  }
  return last + 1
}

console.log(`preset | policy | settle ms per seed (total ±10 %, each VM ±20 %; ${WINDOW}-ms rolling mean; ${durationMs} ms runs) | max`)
for (const p of SCENARIO_PRESETS) {
  for (const policy of policies) {
    const per: number[] = []
    const profile: number[] = []
    for (let seed = 1; seed <= seeds; seed++) {
      const s = resolveScenario({ preset: p.id, seed, policy: { id: policy, params: {} }, durationNs: durationMs * 1e6, warmupNs: 0, sampleIntervalNs: 1_000_000 })
      const r = runScenario(s)
      const total = r.series.t.map((_, i) => r.series.perVm.reduce((a, vm) => a + (vm.ops[i] ?? 0), 0))
      const settle = Math.max(settleIndex(total, 0.1), ...r.series.perVm.map((vm) => settleIndex(vm.ops, 0.2)))
      per.push(settle)
      const half = Math.floor(total.length / 2)
      const steady = total.slice(half).reduce((a, b) => a + b, 0) / (total.length - half)
      total.slice(0, 30).forEach((x, i) => { profile[i] = (profile[i] ?? 0) + x / steady / seeds })
    }
    console.log(`${p.id} | ${policy} | ${per.join(', ')} | ${Math.max(...per)}`)
    // the seed-averaged ops per 1-ms sample over the first 30 ms, as a share of the steady level
    console.log(`  first 30 ms / steady: ${profile.map((x) => x.toFixed(2)).join(' ')}`)
  }
}
