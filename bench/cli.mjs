#!/usr/bin/env node
// `npm run bench:cli`: start-up time of the compiled command line against the targets
//   ecs-lab --version                          <= 0.3 s
//   ecs-lab run (a run reaching the engine: quick preset, 5 ms simulated)    <= 0.5 s
// Each is timed as a whole process (spawn to exit, wall clock) `--runs` times (default 10) after one
// first ("cold": first start after a build, OS file cache as it is) run; the verdict uses the median of
// the warm runs. Wall time on a shared machine includes waiting for a core: the CPU time (user + sys) of
// the child is printed beside it. `--check` exits 1 when a target is missed.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..')
const BIN = join(ROOT, 'bin', 'ecs-lab.cjs')
const args = process.argv.slice(2)
const runs = Number(args[args.indexOf('--runs') + 1]) || 10
const check = args.includes('--check')

const CASES = [
  { name: 'ecs-lab --version', argv: ['--version'], targetS: 0.3 },
  { name: 'ecs-lab run --preset quick --duration-ms 5', argv: ['run', '--preset', 'quick', '--duration-ms', '5'], targetS: 0.5 }
]

function once(argv) {
  // timed by a small Node parent so the measurement excludes this script's own bookkeeping
  const r = spawnSync(process.execPath, ['-e', `
    const { spawnSync } = require('node:child_process')
    const t = process.hrtime.bigint()
    const c = spawnSync(process.execPath, ${JSON.stringify([BIN, ...argv])}, { stdio: 'ignore', env: { ...process.env, ECS_LAB_NO_REBUILD: '1' } })
    const wall = Number(process.hrtime.bigint() - t) / 1e9
    process.stdout.write(JSON.stringify({ status: c.status, wall }))
  `], { encoding: 'utf8' })
  const out = JSON.parse(r.stdout)
  if (out.status !== 0) throw new Error(`${argv.join(' ')} exited ${out.status}`)
  return out.wall
}

function cpuOf(argv) {
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%U %S'; time node ${JSON.stringify(BIN)} ${argv.map((a) => JSON.stringify(a)).join(' ')} > /dev/null`], { encoding: 'utf8', env: { ...process.env, ECS_LAB_NO_REBUILD: '1' } })
  const [u, s] = r.stderr.trim().split(/\s+/).map(Number)
  return u + s
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
let failed = false
for (const c of CASES) {
  const cold = once(c.argv)
  const warm = Array.from({ length: runs }, () => once(c.argv))
  const cpu = median(Array.from({ length: 3 }, () => cpuOf(c.argv)))
  const m = median(warm)
  const ok = m <= c.targetS
  failed ||= !ok
  console.log(`${c.name.padEnd(46)} cold ${cold.toFixed(3)} s | warm median ${m.toFixed(3)} s, min ${Math.min(...warm).toFixed(3)} s (${runs} runs) | cpu ${cpu.toFixed(2)} s | target <= ${c.targetS} s: ${ok ? 'ok' : 'MISSED'}`)
}
if (check && failed) process.exitCode = 1
