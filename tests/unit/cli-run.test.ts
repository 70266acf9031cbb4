import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'

const bin = join(__dirname, '../../bin/ecs-lab.cjs')
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 })

describe('ecs-lab run / presets', () => {
  it('runs a preset with --set overrides and prints JSON', () => {
    const r = run('run', '--preset', 'quick', '--set', 'vms.1.workload=cpu-bound', '--seed', '7', '--duration-ms', '5', '--json')
    expect(r.status, r.stderr).toBe(0)
    const res = JSON.parse(r.stdout)
    expect(res.seed).toBe(7)
    expect(res.simulatedNs).toBe(5_000_000)
    expect(res.vms[1].workload).toBe('cpu-bound')
    expect(res.vms[0].ops).toBeGreaterThan(0)
  })

  it('runs a scenario file with a policy override', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-cli-'))
    const file = join(dir, 's.json')
    writeFileSync(file, JSON.stringify({ host: { pcpus: 2, sockets: 1 }, vms: [{ name: 'a', vcpus: 2, workload: 'spinlock-heavy' }], durationNs: 2_000_000 }))
    const r = run('run', file, '--policy', 'kvm-nople', '--json')
    expect(r.status, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).policy).toBe('kvm-nople')
  })

  it('rejects an invalid scenario with exit 2 and names the field and allowed values', () => {
    const r = run('run', '--preset', 'quick', '--set', 'host.hz=333')
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/host\.hz/)
    expect(r.stderr).toMatch(/100\|250\|300\|1000/)
    const p = run('run', '--preset', 'quick', '--policy', 'nope')
    expect(p.status).toBe(2)
    expect(p.stderr).toMatch(/policy\.id.*allowed: kvm, kvm-nople/)
  })

  it('lists presets as JSON', () => {
    const r = run('presets', '--json')
    expect(r.status, r.stderr).toBe(0)
    const c = JSON.parse(r.stdout)
    expect(c.scenarios.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(['quick', 'undercommit-1x', 'overcommit-2x']))
    expect(c.workloads.map((s: { id: string }) => s.id)).toContain('cpu-bound')
  })
})
