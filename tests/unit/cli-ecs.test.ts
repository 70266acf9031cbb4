/** `ecs-lab policies`, `compare` and `reproduce --quick` on a tiny configuration (worker threads, real CLI). */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'

const bin = join(__dirname, '../../bin/ecs-lab.cjs')
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 })

describe('ecs-lab policies / compare / reproduce', () => {
  it('lists the policies with their parameters', () => {
    const r = run('policies', '--json')
    expect(r.status, r.stderr).toBe(0)
    const list = JSON.parse(r.stdout) as { id: string; params: { properties?: Record<string, unknown> } }[]
    expect(list.map((p) => p.id)).toEqual(expect.arrayContaining(['kvm', 'kvm-nople', 'ecs', 'ecs-alternate', 'ecs-host', 'ecs-guest']))
    expect(Object.keys(list.find((p) => p.id === 'ecs')!.params.properties ?? {})).toEqual(expect.arrayContaining(['vetoMode', 'vetoCap', 'plePass', 'blockedWaiterSpin', 'annotate']))
  })

  it('compares policies over seeds with ratios to the baseline', () => {
    const r = run('compare', '--preset', 'quick', '--policies', 'kvm,ecs,ecs{"vetoCap":2}', '--seeds', '2', '--duration-ms', '5', '--json')
    expect(r.status, r.stderr).toBe(0)
    const c = JSON.parse(r.stdout)
    expect(c.baseline).toBe('kvm')
    expect(c.policies.map((p: { label: string }) => p.label)).toEqual(['kvm', 'ecs', 'ecs{"vetoCap":2}'])
    expect(c.policies[0].ratio['throughput.opsPerSec']).toBe(1)
    expect(c.policies[1].metrics['throughput.opsPerSec'].n).toBe(2)
  })

  it('reproduce --quick on a tiny host writes REPORT.md, figures and summary', () => {
    const out = mkdtempSync(join(tmpdir(), 'ecs-repro-'))
    const t0 = Date.now()
    const r = run('reproduce', '--quick', '--out', out, '--pcpus', '4', '--duration-ms', '10', '--seeds', '2', '--workloads', 'spinlock-heavy,mutex-rwsem', '--commits', '1,2,4', '--quiet', '--keep-results', join(out, 'kept.json'))
    expect(r.status, r.stderr).toBe(0)
    expect(Date.now() - t0).toBeLessThan(120_000)
    const md = readFileSync(join(out, 'REPORT.md'), 'utf8')
    expect(md).toContain('Headline claims beside the model')
    expect(md).toContain('cut by 85-100 %')
    expect(md).toContain('up to 2.5x')
    expect(md).toContain('Abuse')
    expect(md).toContain('## eCS on EEVDF hosts')
    expect(md).toContain("this project's port")
    for (const f of ['throughput-ratio-over', 'throughput-ratio-under', 'preemptions-by-kind', 'in-cs-preemptions-by-path', 'ratio-vs-commit', 'throughput-ratio-eevdf']) {
      expect(existsSync(join(out, 'figures', `${f}.svg`)), f).toBe(true)
      expect(readFileSync(join(out, 'figures', `${f}.svg`), 'utf8')).toMatch(/^<svg/)
    }
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
    expect(summary.abuse.length).toBe(6)
    expect(summary.inCsReduction.length).toBe(6) // 2 workloads x (1x, 2x, 2x + hog)
    expect(summary.eevdf.throughputRatio.length).toBe(6) // ecs at the same 6 points on EEVDF
    expect(md).toContain('| kvm pCPU busy | kvm multi-runnable ticks |')
    expect(md).not.toContain('What changed with engine')

    // the same results against their own summary: the section is there and no conclusion changed
    const out2 = mkdtempSync(join(tmpdir(), 'ecs-repro-'))
    const r2 = run('reproduce', '--from-results', join(out, 'kept.json'), '--previous', join(out, 'summary.json'), '--out', out2, '--quiet')
    expect(r2.status, r2.stderr).toBe(0)
    const md2 = readFileSync(join(out2, 'REPORT.md'), 'utf8')
    expect(md2).toContain(`## What changed with engine ${summary.engineVersion}`)
    expect(md2).toContain('**No conclusion changed**')
    expect(md2.replace(/\n## What changed with engine[^]*?(?=\n## Baseline vs eCS)/, '')).toBe(md)
  })

  it('reproduce --previous rejects a file that is not a summary, naming the field, before running', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-repro-'))
    const bad = join(dir, 'summary.json')
    writeFileSync(bad, JSON.stringify({ inCsReduction: [], throughputRatio: [{ workload: 'w', commit: 1, layout: 'shared', policy: 'ecs', ratio: 'x', low: 1, high: 1 }], abuse: [] }))
    const r = run('reproduce', '--quick', '--out', join(dir, 'out'), '--previous', bad, '--quiet')
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain('throughputRatio.0.ratio')
    expect(existsSync(join(dir, 'out'))).toBe(false)
  })
})
