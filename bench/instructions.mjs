#!/usr/bin/env node
/**
 * `node bench/instructions.mjs [REV_A] [REV_B] [--presets a,b] [--ms N]`: engine cost as instruction
 * counts, which do not depend on what else the machine is doing (wall-time benches on a shared 2-core
 * machine vary by tens of percent). For each git revision (default: HEAD~1 and the working tree) it
 * bundles that revision's `src/sim/index.ts` with esbuild, runs one scenario per preset under
 * `valgrind --tool=callgrind node --single-threaded` (no concurrent JIT threads), and prints the
 * instruction totals, the same for a 1-ms run (node start-up + compile, the fixed part), and the ratio
 * B / A of the rest. Digests are printed too: a refactor must leave them equal. Needs valgrind
 * (Debian: apt-get install valgrind). A few minutes per preset and revision.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, readFileSync, rmSync, symlinkSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Command } from 'commander'

const root = resolve(import.meta.dirname, '..')
const program = new Command()
  .argument('[revA]', 'baseline revision', 'HEAD~1')
  .argument('[revB]', "revision to compare ('WORKTREE' = the files on disk)", 'WORKTREE')
  .option('--presets <list>', 'scenario presets', 'overcommit-2x,undercommit-1x')
  .option('--ms <n>', 'simulated milliseconds per run', '100')
  .parse()
const [revA, revB] = program.processedArgs
const opts = program.opts()
const ms = Number(opts.ms)
if (!Number.isInteger(ms) || ms < 1 || ms > 10_000) throw new Error(`--ms: an integer between 1 and 10000, got ${opts.ms}`)
const work = mkdtempSync(join(tmpdir(), 'ecs-instr-'))

function sourceOf(rev) {
  if (rev === 'WORKTREE') return root
  const dir = join(work, `src-${rev.replace(/[^A-Za-z0-9]/g, '_')}`)
  execFileSync('git', ['-C', root, 'worktree', 'add', '--detach', '-q', dir, rev])
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))
  return dir
}

function bundle(dir, name, durationNs) {
  const entry = join(dir, `.instr-entry-${name}.ts`)
  writeFileSync(entry, `import { resolveScenario, runScenario } from './src/sim/index'
const r = runScenario(resolveScenario({ preset: process.argv[2], seed: 1, durationNs: ${durationNs} }))
console.log(process.argv[2], r.events, r.digest)
`)
  const out = join(work, `${name}.cjs`)
  execFileSync(join(root, 'node_modules/.bin/esbuild'), [entry, '--bundle', '--platform=node', '--format=cjs', `--outfile=${out}`, '--log-level=warning'])
  rmSync(entry)
  return out
}

function instructions(file, preset) {
  const cg = join(work, 'cg.out')
  const stdout = execFileSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${cg}`, 'node', '--single-threaded', file, preset], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()
  const total = Number(/^summary:\s+(\d+)/m.exec(readFileSync(cg, 'utf8'))[1])
  return { total, stdout }
}

const dirs = { A: sourceOf(revA), B: sourceOf(revB) }
try {
  for (const preset of opts.presets.split(',')) {
    const row = {}
    for (const k of ['A', 'B']) {
      const full = instructions(bundle(dirs[k], `${k}-full`, ms * 1_000_000), preset)
      const fixed = instructions(bundle(dirs[k], `${k}-fixed`, 1_000_000), preset)
      row[k] = { ...full, fixed: fixed.total, net: full.total - fixed.total }
    }
    const r = row.B.net / row.A.net
    console.log(`${preset} ${ms} ms: A=${revA} ${(row.A.total / 1e6).toFixed(1)} M (net ${(row.A.net / 1e6).toFixed(1)} M) [${row.A.stdout}]  B=${revB} ${(row.B.total / 1e6).toFixed(1)} M (net ${(row.B.net / 1e6).toFixed(1)} M) [${row.B.stdout}]  B/A net ${r.toFixed(4)}`)
  }
} finally {
  for (const [k, rev] of [['A', revA], ['B', revB]]) if (rev !== 'WORKTREE' && existsSync(dirs[k])) execFileSync('git', ['-C', root, 'worktree', 'remove', '--force', dirs[k]])
  rmSync(work, { recursive: true, force: true })
}
