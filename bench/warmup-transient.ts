/**
 * `npx tsx bench/warmup-transient.ts [--ms 200] [--seeds 5] [--policies kvm,ecs] [--tol 0.05]`: how long the
 * start-up transient of each built-in preset lasts, to choose the Run form's default warm-up (issue 15).
 *
 * Each preset runs from t = 0 with the default staggered start, no warm-up and one sample per ms. Total
 * ops over all VMs per 1-ms sample are averaged over the seeds (per-ms noise on a small host is larger
 * than the transient), then over 5-ms blocks. The steady level is the mean of the second half of the
 * run; the transient has settled at the start of the first block from which every later block stays
 * within ±tol of it. Prints, per preset and policy, the settle time and the block means as a share of
 * the steady level.
 */
import { resolveScenario, runScenario } from '../src/sim/index'
import { SCENARIO_PRESETS } from '../src/sim/scenario/presets'

const args = process.argv.slice(2)
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1]! : dflt
}
const durationMs = Number(opt('ms', '200'))
const seeds = Number(opt('seeds', '5'))
const policies = opt('policies', 'kvm,ecs').split(',')
const tol = Number(opt('tol', '0.05'))
const BLOCK = 5

console.log(`preset | policy | settled at (ms; ${BLOCK}-ms blocks within ±${tol * 100} % of the second half's mean, ${seeds} seeds averaged, ${durationMs} ms runs)`)
for (const p of SCENARIO_PRESETS) {
  for (const policy of policies) {
    const perMs: number[] = []
    for (let seed = 1; seed <= seeds; seed++) {
      const s = resolveScenario({ preset: p.id, seed, policy: { id: policy, params: {} }, durationNs: durationMs * 1e6, warmupNs: 0, sampleIntervalNs: 1_000_000 })
      const r = runScenario(s)
      r.series.t.forEach((_, i) => { perMs[i] = (perMs[i] ?? 0) + r.series.perVm.reduce((a, vm) => a + (vm.ops[i] ?? 0), 0) / seeds })
    }
    const half = Math.floor(perMs.length / 2)
    const steady = perMs.slice(half).reduce((a, b) => a + b, 0) / (perMs.length - half)
    const blocks: number[] = []
    for (let i = 0; i + BLOCK <= perMs.length; i += BLOCK) blocks.push(perMs.slice(i, i + BLOCK).reduce((a, b) => a + b, 0) / BLOCK / steady)
    let last = -1
    blocks.forEach((b, i) => { if (Math.abs(b - 1) > tol) last = i })
    console.log(`${p.id} | ${policy} | ${(last + 1) * BLOCK}`)
    console.log(`  ${BLOCK}-ms blocks / steady: ${blocks.map((x) => x.toFixed(2)).join(' ')}`)
  }
}
