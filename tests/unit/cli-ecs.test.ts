/** `ecs-lab policies`, `compare` and `reproduce --quick` on a tiny configuration (worker threads, real CLI). */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
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
    const r = run('reproduce', '--quick', '--out', out, '--pcpus', '4', '--duration-ms', '10', '--seeds', '2', '--workloads', 'spinlock-heavy,mutex-rwsem', '--commits', '1,2,4', '--quiet')
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
  })
})
