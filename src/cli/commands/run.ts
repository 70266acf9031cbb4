/**
 * `ecs-lab run [scenario.json] [--preset NAME] [--policy ID] [--seed N] [--duration-ms N]
 *              [--set PATH=VALUE ...] [--json]`
 * Runs one simulation in this process and prints a summary (or the full SimResult with --json).
 * `--set` overrides any scenario field by dotted path (array indices are numbers), repeatable;
 * values are parsed as JSON when possible (`--set host.hz=1000 --set vms.0.workload=cpu-bound`).
 * Invalid scenarios exit 2 with a message naming the field and the allowed values.
 */
import type { Command } from 'commander'
import { readFileSync } from 'node:fs'
import { findScenarioPreset, mergeOverrides, resolveScenario, runScenario, ScenarioError, ENGINE_VERSION } from '../../sim/index'
import type { SimResult } from '../../shared/result'

interface RunFlags {
  preset?: string
  policy?: string
  seed?: string
  durationMs?: string
  set?: string[]
  json?: boolean
  progress?: boolean
}

const collect = (v: string, prev: string[] = []) => [...prev, v]

/** Parse a --set value: JSON when it parses, else the raw string. */
export function parseSetValue(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

/** Set `value` at a dotted path, creating objects/arrays on the way (numeric segments index arrays). */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.').filter((p) => p !== '')
  if (parts.length === 0) throw new Error(`--set: empty path`)
  let cur: Record<string, unknown> | unknown[] = target
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]
    const nextIsIndex = /^\d+$/.test(parts[i + 1])
    const container = cur as Record<string, unknown>
    let next = container[key]
    if (next === undefined || next === null || typeof next !== 'object') {
      next = nextIsIndex ? [] : {}
      container[key] = next
    }
    cur = next as Record<string, unknown> | unknown[]
  }
  ;(cur as Record<string, unknown>)[parts[parts.length - 1]] = value
}

/** Build the scenario input from a file/preset and the flags (exported for tests). */
export function buildScenarioInput(file: string | undefined, f: RunFlags): Record<string, unknown> {
  let raw: Record<string, unknown> = {}
  if (file) {
    const text = readFileSync(file, 'utf8')
    try {
      raw = JSON.parse(text) as Record<string, unknown>
    } catch (e) {
      throw new Error(`${file}: not valid JSON (${(e as Error).message})`)
    }
  }
  const presetName = f.preset ?? (typeof raw.preset === 'string' ? raw.preset : undefined)
  if (presetName !== undefined) {
    const base = findScenarioPreset(presetName)
    const { preset: _p, ...rest } = raw
    // unknown preset: leave it to resolveScenario, whose error lists the allowed ids
    raw = base ? (mergeOverrides(base, rest) as Record<string, unknown>) : { preset: presetName, ...rest }
  } else if (!file) throw new Error('give a scenario file or --preset NAME (see `ecs-lab presets`)')
  if (f.policy !== undefined) raw.policy = { id: f.policy, params: {} }
  if (f.seed !== undefined) raw.seed = parseNumberFlag('seed', f.seed)
  if (f.durationMs !== undefined) raw.durationNs = Math.round(parseNumberFlag('duration-ms', f.durationMs) * 1e6)
  for (const s of f.set ?? []) {
    const eq = s.indexOf('=')
    if (eq <= 0) throw new Error(`--set ${JSON.stringify(s)}: expected PATH=VALUE`)
    setPath(raw, s.slice(0, eq), parseSetValue(s.slice(eq + 1)))
  }
  return raw
}

function parseNumberFlag(name: string, v: string): number {
  const n = Number(v)
  if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`--${name}: expected a number, got ${JSON.stringify(v)}`)
  return n
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
}

export function formatSummary(r: SimResult, wallMs: number): string {
  const lines: string[] = []
  lines.push(`scenario ${r.scenarioName ?? '(unnamed)'}  host ${r.scheduler ?? 'cfs'}  policy ${r.policy}  seed ${r.seed}  engine ${r.engineVersion}`)
  lines.push(`simulated ${fmt(r.simulatedNs / 1e6, 1)} ms (stats over ${fmt(r.measuredNs / 1e6, 1)} ms)  events ${fmt(r.events)}  wall ${fmt(wallMs)} ms  (${fmt(r.events / Math.max(1, wallMs) / 1000, 2)} M events/s)  digest ${r.digest}`)
  if (r.regime) {
    const co = r.vms.map((v) => (v.coRunning ? `${v.name} ${fmt(v.coRunning.mean, 1)} (none ${fmt(100 * v.coRunning.shareAtZero, 0)} %)` : '')).filter((x) => x).join(', ')
    lines.push(`regime: pCPUs busy ${fmt(100 * r.regime.pcpuBusyShare, 1)} %  ticks with >1 runnable ${fmt(100 * r.regime.multiRunnableTickShare, 1)} %  vCPUs running at once: ${co}`)
  }
  lines.push('')
  lines.push('vm        vcpus  workload          ops/s         ops/vcpu/s   cpu ms     steal ms')
  for (const v of r.vms) {
    lines.push(`${v.name.padEnd(9)} ${String(v.vcpus).padStart(5)}  ${v.workload.padEnd(16)} ${fmt(v.opsPerSec).padStart(12)} ${fmt(v.opsPerVcpuPerSec).padStart(12)} ${fmt(v.cpuTimeNs / 1e6, 1).padStart(10)} ${fmt(v.stealNs / 1e6, 1).padStart(10)}`)
  }
  const p = r.preemptions
  lines.push('')
  lines.push(`preemptions ${p.total}  in critical section ${p.inCriticalSection.total} ${JSON.stringify(p.inCriticalSection.byKind)}  lock-holder ${p.lockHolder}  lock-waiter ${p.lockWaiter}`)
  lines.push('')
  lines.push('counters (non-zero):')
  for (const [k, v] of Object.entries(r.counters)) if (v !== 0) lines.push(`  ${k.padEnd(28)} ${fmt(v)}`)
  return lines.join('\n') + '\n'
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run one simulation (scenario file and/or --preset) and print the result')
    .argument('[scenario]', 'scenario JSON file (may contain {"preset": ...} plus overrides)')
    .option('--preset <name>', 'built-in scenario (see `ecs-lab presets`)')
    .option('--policy <id>', 'policy id (kvm, kvm-nople, ...)')
    .option('--seed <n>', 'uint32 seed')
    .option('--duration-ms <n>', 'simulated duration in milliseconds')
    .option('--set <path=value>', 'override a scenario field by dotted path (repeatable)', collect, [])
    .option('--json', 'print the full result as JSON')
    .option('--progress', 'print progress to stderr')
    .action((file: string | undefined, f: RunFlags) => {
      const input = buildScenarioInput(file, f)
      let scenario
      try {
        scenario = resolveScenario(input)
      } catch (e) {
        if (e instanceof ScenarioError) {
          process.stderr.write(`ecs-lab: invalid scenario: ${e.message}\n`)
          process.exitCode = 2
          return
        }
        throw e
      }
      const t0 = Date.now()
      const result = runScenario(scenario, {
        onProgress: f.progress ? (p) => process.stderr.write(`\r${(100 * p.simulatedNs / p.totalNs).toFixed(1)}%  ${p.events} events`) : undefined
      })
      if (f.progress) process.stderr.write('\n')
      const wall = Date.now() - t0
      if (f.json) process.stdout.write(JSON.stringify(result) + '\n')
      else process.stdout.write(formatSummary(result, wall))
      void ENGINE_VERSION
    })
}
