/**
 * `ecs-lab compare --preset NAME|FILE --policies kvm,ecs [--seeds N] [--baseline ID] [--duration-ms N]
 *                  [--set PATH=VALUE ...] [--workers N] [--json]`
 * Runs the same scenario and seeds under each policy on worker threads and prints per-policy means with
 * 95 % Student-t confidence intervals and ratios to the baseline (src/sim/analysis/compare.ts).
 * A policy may carry params as JSON: `--policies 'kvm,ecs,ecs{"vetoCap":2}'`.
 */
import type { Command } from 'commander'
import { existsSync } from 'node:fs'
import { planComparison, summariseComparison, seedList, ScenarioError, type ComparisonResult, type PolicyRef, type Stat } from '../../sim/index'
import { runMany } from '../../main/sim-host/run-many'
import { buildScenarioInput } from './run'

interface CompareFlags {
  preset?: string
  policies: string
  seeds: string
  baseline?: string
  durationMs?: string
  set?: string[]
  workers?: string
  json?: boolean
}

const collect = (v: string, prev: string[] = []) => [...prev, v]

/** `kvm,ecs,ecs{"vetoCap":2}` -> refs (commas inside {...} are kept). */
export function parsePolicyList(s: string): PolicyRef[] {
  const out: PolicyRef[] = []
  let depth = 0
  let cur = ''
  for (const ch of s) {
    if (ch === '{') depth++
    if (ch === '}') depth--
    if (ch === ',' && depth === 0) {
      if (cur.trim()) out.push(parseOne(cur.trim()))
      cur = ''
    } else cur += ch
  }
  if (cur.trim()) out.push(parseOne(cur.trim()))
  if (out.length === 0) throw new Error('--policies: give at least one policy id')
  return out
}

function parseOne(s: string): PolicyRef {
  const i = s.indexOf('{')
  if (i < 0) return { id: s, label: s }
  const params = JSON.parse(s.slice(i)) as Record<string, unknown>
  return { id: s.slice(0, i), params, label: s }
}

const f2 = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a')
const ciTxt = (s: Stat | undefined, d = 2) => (s ? (s.n > 1 ? `${f2(s.mean, d)} [${f2(s.low, d)}, ${f2(s.high, d)}]` : f2(s.mean, d)) : 'n/a')

export function formatComparison(c: ComparisonResult): string {
  const rows: string[][] = [['policy', 'throughput ops/s [95% CI]', 'ratio [95% CI]', 'preempt', 'in-CS', 'in-CS ratio', 'LHP', 'LWP', 'vetoes', 'lock wait ns']]
  for (const p of c.policies) {
    const m = (k: string) => p.metrics[k]
    rows.push([
      p.label, ciTxt(m('throughput.opsPerSec'), 0), ciTxt(p.pairedRatio['throughput.opsPerSec'], 3),
      f2(m('preempt.total')?.mean ?? NaN, 1), f2(m('preempt.inCs')?.mean ?? NaN, 1), f2(p.ratio['preempt.inCs'] ?? NaN, 3),
      f2(m('preempt.lockHolder')?.mean ?? NaN, 1), f2(m('preempt.lockWaiter')?.mean ?? NaN, 1), f2(m('host.vetoes')?.mean ?? NaN, 1), f2(m('lock.meanWaitNs')?.mean ?? NaN, 0)
    ])
  }
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  const lines = rows.map((r) => r.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  '))
  return `scenario ${c.scenarioName ?? '(unnamed)'}  seeds ${c.seeds.join(',')}  baseline ${c.baseline}\n` + lines.join('\n') + '\n'
}

export function register(program: Command): void {
  program
    .command('compare')
    .description('run one scenario under several policies and seeds; per-policy means, 95% CIs, ratios to the baseline')
    .option('--preset <name|file>', 'built-in scenario or a scenario JSON file')
    .option('--policies <list>', 'comma-separated policy ids, optional JSON params: kvm,ecs,ecs{"vetoCap":2}', 'kvm,ecs')
    .option('--seeds <n>', 'number of seeds (1..n, the same for every policy)', '3')
    .option('--baseline <label>', 'policy the ratios divide by (default: the first)')
    .option('--duration-ms <n>', 'simulated duration in milliseconds')
    .option('--set <path=value>', 'override a scenario field by dotted path (repeatable)', collect, [])
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--json', 'print the ComparisonResult as JSON')
    .action(async (f: CompareFlags) => {
      const isFile = f.preset !== undefined && existsSync(f.preset)
      const input = buildScenarioInput(isFile ? f.preset : undefined, { preset: isFile ? undefined : f.preset, durationMs: f.durationMs, set: f.set })
      const seeds = seedList(Number(f.seeds))
      let jobs
      try {
        jobs = planComparison(input, parsePolicyList(f.policies), seeds)
      } catch (e) {
        if (e instanceof ScenarioError) {
          process.stderr.write(`ecs-lab: invalid scenario: ${e.message}\n`)
          process.exitCode = 2
          return
        }
        throw e
      }
      const t0 = Date.now()
      const results = await runMany(jobs.map((j) => j.scenario), {
        workers: f.workers ? Number(f.workers) : undefined,
        onDone: (d, n) => { if (!f.json && process.stderr.isTTY) process.stderr.write(`\r${d}/${n} runs`) }
      })
      if (!f.json && process.stderr.isTTY) process.stderr.write('\n')
      const c = summariseComparison(jobs, results, f.baseline)
      if (f.json) process.stdout.write(JSON.stringify({ ...c, wallMs: Date.now() - t0 }, null, 2) + '\n')
      else process.stdout.write(formatComparison(c) + `wall ${((Date.now() - t0) / 1000).toFixed(1)} s\n`)
    })
}
