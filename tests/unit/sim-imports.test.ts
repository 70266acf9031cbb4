/**
 * Structure of src/sim (issue 12): no import cycle at all (type-only imports included, so a layer can
 * never reach up into the one above it, even for a type), and no source file over 600 lines
 * (generated tables excepted). The cycle finder is a plain DFS over the relative imports of every
 * non-test .ts file; it is checked on a small graph with a known cycle first.
 */
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const simDir = join(__dirname, '../../src/sim')

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p))
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.bench.ts')) out.push(p)
  }
  return out.sort()
}

/** Relative module specifiers of every import / export-from / dynamic import, type-only ones included. */
export function importsOf(source: string): string[] {
  const specs: string[] = []
  const re = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm
  for (const m of source.matchAll(re)) {
    const s = m[1] ?? m[2] ?? m[3]
    if (s && s.startsWith('.')) specs.push(s)
  }
  return specs
}

function resolveSpec(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec)
  for (const c of [base + '.ts', join(base, 'index.ts'), base]) if (existsSync(c) && statSync(c).isFile()) return c
  return null
}

/** Every elementary cycle found by DFS (each reported once, as the path from its first node back to it). */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 0 | 1 | 2>()
  const stack: string[] = []
  const cycles: string[][] = []
  const visit = (n: string): void => {
    state.set(n, 1)
    stack.push(n)
    for (const m of graph.get(n) ?? []) {
      const s = state.get(m) ?? 0
      if (s === 1) cycles.push([...stack.slice(stack.indexOf(m)), m])
      else if (s === 0) visit(m)
    }
    stack.pop()
    state.set(n, 2)
  }
  for (const n of graph.keys()) if ((state.get(n) ?? 0) === 0) visit(n)
  return cycles
}

describe('src/sim structure', () => {
  it('the cycle finder finds a known cycle and accepts a DAG', () => {
    const cyc = new Map([['a', ['b']], ['b', ['c']], ['c', ['a', 'd']], ['d', []]])
    expect(findCycles(cyc)).toEqual([['a', 'b', 'c', 'a']])
    const dag = new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]])
    expect(findCycles(dag)).toEqual([])
    expect(importsOf("import type { A } from './a'\nimport * as b from '../b'\nexport { c } from './c'\nimport 'zod'\n")).toEqual(['./a', '../b', './c'])
  })

  it('has no import cycle (type-only imports included)', () => {
    const files = sourceFiles(simDir)
    expect(files.length).toBeGreaterThan(30)
    const graph = new Map<string, string[]>()
    for (const f of files) {
      const deps: string[] = []
      for (const spec of importsOf(readFileSync(f, 'utf8'))) {
        const r = resolveSpec(f, spec)
        if (r && r.startsWith(simDir)) deps.push(r)
      }
      graph.set(f, deps)
    }
    const cycles = findCycles(graph).map((c) => c.map((p) => relative(simDir, p)).join(' -> '))
    expect(cycles).toEqual([])
    // the engine's layers really are found through their imports
    const engine = join(simDir, 'engine.ts')
    expect(graph.get(engine)!.map((p) => relative(simDir, p))).toContain('metrics/stats.ts')
  })

  it('has no source file over 600 lines (generated tables excepted)', () => {
    const tables = new Set(['core/ziggurat-tables.ts'])
    const long = sourceFiles(simDir)
      .map((f) => ({ f: relative(simDir, f), n: readFileSync(f, 'utf8').split('\n').length }))
      .filter(({ f, n }) => n > 600 && !tables.has(f))
    expect(long).toEqual([])
  })
})
