import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'

const bin = join(__dirname, '../../bin/ecs-lab.cjs')
const fixture = join(__dirname, '../fixtures/validation/fixture-tiny')
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 })

describe('ecs-lab validate', () => {
  it('--quick --json prints the documented shape and finishes in under a minute', () => {
    const t0 = Date.now()
    const r = run('validate', '--data', fixture, '--quick', '--json', '--workers', '2')
    expect(r.status, r.stderr).toBe(0)
    expect(Date.now() - t0).toBeLessThan(60_000)
    const j = JSON.parse(r.stdout)
    expect(Object.keys(j)).toEqual(['engineVersion', 'dataset', 'points', 'summary'])
    expect(j.dataset.id).toBe('fixture-tiny')
    expect(j.dataset.quick).toBe(true)
    expect(Object.keys(j.points[0])).toEqual(['benchmark', 'pcpus', 'vms', 'vcpusPerVm', 'set', 'measured', 'simulated'])
    expect(Object.keys(j.summary.validation)).toEqual(['n', 'mae', 'maxAbsErr', 'spearman'])
    expect(j.summary.validation.n).toBe(6)
    expect(typeof j.summary.validation.mae).toBe('number')
  })

  it('--out writes VALIDATION.md with the scatter figure; --write-split writes split.csv', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-val-'))
    const data = join(dir, 'data', 'fixture-tiny')
    cpSync(fixture, data, { recursive: true })
    const out = join(dir, 'out')
    const r = run('validate', '--data', join(dir, 'data'), '--quick', '--out', out, '--seeds', '1', '--duration-ms', '40', '--write-split', '--quiet')
    expect(r.status, r.stderr).toBe(0)
    expect(readFileSync(join(out, 'VALIDATION.md'), 'utf8')).toMatch(/!\[simulated vs measured\]\(figures\/validation-scatter\.svg\)/)
    expect(readFileSync(join(out, 'figures', 'validation-scatter.svg'), 'utf8')).toMatch(/^<svg/)
    expect(readFileSync(join(data, 'split.csv'), 'utf8')).toMatch(/^benchmark,pcpus,vms,vcpus_per_vm,set\ncpu,2,1,2,reference\n/)
    expect(existsSync(join(out, 'validation.json'))).toBe(true)
  })

  it('a bad data set exits 2 and names the file, line and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-val-'))
    cpSync(fixture, dir, { recursive: true })
    const lines = readFileSync(join(dir, 'points.csv'), 'utf8').split('\n')
    lines[3] = lines[3].replace(/^cpu,vm,2/, 'cpu,vm,-1')
    writeFileSync(join(dir, 'points.csv'), lines.join('\n'))
    const r = run('validate', '--data', dir, '--quick')
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/points\.csv line 4: pcpus: .*allowed: >= 1/)
  })
})
