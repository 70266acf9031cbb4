import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ENGINE_VERSION, resolveScenario } from '../../../src/sim'
import { CampaignError, parseCampaignText, planCampaign, setPath } from '../../../src/main/services/campaign-plan'
import { parseShard } from '../../../src/shared/campaign'
import { baselineFor } from '../../../src/main/services/compare'
import { campaignJsonSchema, CAMPAIGN_SCHEMA_PATH } from '../../../scripts/gen-campaign-schema'
import { tinyCampaign, writeText, tempDir } from './helpers'

const engine = { engineVersion: ENGINE_VERSION, resolveScenario }
const plan = (text: string, shard?: { index: number; count: number }) => planCampaign(parseCampaignText(text, 'c.yaml'), engine, { source: 'c.yaml', shard })

describe('campaign files', () => {
  it('the committed JSON Schema is generated from the current zod schema', () => {
    expect(readFileSync(CAMPAIGN_SCHEMA_PATH, 'utf8')).toBe(campaignJsonSchema())
  })

  it('expand to scenarios x sweep points x policies x seeds with stable indices and content ids', () => {
    const p = plan(tinyCampaign({ hz: [250, 1000], seeds: 3 }))
    expect(p.runs).toHaveLength(1 * 2 * 2 * 3)
    expect(p.runs.map((r) => r.index)).toEqual([...Array(12).keys()])
    expect(p.runs[0]!.params).toEqual({ scenario: 'quick', 'host.hz': 250, policy: 'kvm', seed: 1 })
    expect(p.runs[11]!.params).toEqual({ scenario: 'quick', 'host.hz': 1000, policy: 'kvm-nople', seed: 3 })
    expect(p.runs[6]!.scenario.host.hz).toBe(1000)
    expect(p.runs[6]!.scenario.host.pcpus).toBe(4) // the preset's other host fields survive the sweep
    expect(new Set(p.runs.map((r) => r.id)).size).toBe(12)
    expect(plan(tinyCampaign({ hz: [250, 1000], seeds: 3 })).runs.map((r) => r.id)).toEqual(p.runs.map((r) => r.id))
    expect(p.id).toMatch(/^[0-9a-f]{16}$/)
  })

  it('sweep list elements by index (vms.1.vcpus) and JSON and YAML give the same campaign', () => {
    const yaml = 'name: v\nscenarios: [quick]\npolicies: [kvm]\nsweep:\n  vms.1.vcpus: [2, 3]\n  durationNs: [3000000]\n'
    const json = JSON.stringify({ name: 'v', scenarios: ['quick'], policies: ['kvm'], sweep: { 'vms.1.vcpus': [2, 3], durationNs: [3000000] } })
    const a = plan(yaml)
    expect(a.runs.map((r) => r.scenario.vms.map((v) => v.vcpus))).toEqual([[4, 2], [4, 3]])
    expect(plan(json).runs.map((r) => r.id)).toEqual(a.runs.map((r) => r.id))
    expect(plan(json).id).toBe(a.id)
  })

  it('sweep a list element past a shorter override list (overrides merge into preset lists by index)', () => {
    const p = plan('name: v\nscenarios: [{ preset: quick, overrides: { vms: [{ vcpus: 3 }] } }]\npolicies: [kvm]\nsweep:\n  vms.1.vcpus: [1, 2]\n')
    expect(p.runs.map((r) => r.scenario.vms.map((v) => [v.name, v.vcpus]))).toEqual([[['vm0', 3], ['vm1', 1]], [['vm0', 3], ['vm1', 2]]])
  })

  it('sweep policy parameters only for the policies that take them; the others run once as the baseline', () => {
    const p = plan('name: v\nscenarios: [quick]\npolicies: [kvm, ecs]\nseeds: [1, 2]\nsweep:\n  policy.params.vetoCap: [1, 4]\n')
    expect(p.total).toBe(6)
    expect(p.runs.map((r) => [r.policyLabel, r.params['policy.params.vetoCap'] ?? '-', r.seed])).toEqual([
      ['kvm', '-', 1], ['kvm', '-', 2], ['ecs', 1, 1], ['ecs', 1, 2], ['ecs', 4, 1], ['ecs', 4, 2]
    ])
    expect(p.runs.find((r) => r.policyLabel === 'ecs')!.scenario.policy.params['vetoCap']).toBe(1)
    expect(baselineFor(
      [{ point: 'q', policy: 'kvm', params: { scenario: 'q' } }, { point: 'q cap=4', policy: 'ecs', params: { scenario: 'q', cap: 4 } }],
      { point: 'q cap=4', policy: 'ecs', params: { scenario: 'q', cap: 4 } }, 'kvm'
    )?.policy).toBe('kvm')
    expect(() => plan('name: v\nscenarios: [quick]\npolicies: [ecs]\nsweep:\n  policy.params.vetoCap: [0]\n')).toThrow(/policy\.params\.vetoCap: .*allowed: >= 1/)
  })

  it('shards partition the matrix: every cell in exactly one shard', () => {
    const all = plan(tinyCampaign({ hz: [100, 250, 1000], seeds: 2 }))
    const shards = [0, 1, 2].map((i) => plan(tinyCampaign({ hz: [100, 250, 1000], seeds: 2 }), { index: i, count: 3 }))
    expect(shards.flatMap((s) => s.runs.map((r) => r.index)).sort((a, b) => a - b)).toEqual(all.runs.map((r) => r.index))
    expect(shards.every((s) => s.id === all.id)).toBe(true)
    expect(() => parseShard('3/3')).toThrow(/i must be between 0 and N-1 \(2\), got 3/)
    expect(() => parseShard('a/3')).toThrow(/expected i\/N/)
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 })
  })

  const bad: [string, string, RegExp][] = [
    ['malformed YAML', 'name: x\nscenarios: [quick\n', /not valid YAML or JSON/],
    ['not a mapping', '- 1\n- 2\n', /expected a mapping/],
    ['unknown key', 'name: x\nscenarios: [quick]\npolicies: [kvm]\npolicy: kvm\n', /Unrecognized key.*policy/],
    ['missing policies', 'name: x\nscenarios: [quick]\n', /policies: /],
    ['seed out of range', 'name: x\nscenarios: [quick]\npolicies: [kvm]\nseeds: [-1]\n', /seeds\.0: .*>=0|seeds/],
    ['unknown preset', 'name: x\nscenarios: [nope]\npolicies: [kvm]\n', /scenarios\.0 \(nope\): preset: unknown preset 'nope' \(allowed: quick/],
    ['unknown policy', 'name: x\nscenarios: [quick]\npolicies: [kvm, warp-drive]\n', /policy=warp-drive.*policy\.id: unknown policy 'warp-drive' \(allowed: kvm/],
    ['out-of-range sweep value', 'name: x\nscenarios: [quick]\npolicies: [kvm]\nsweep:\n  host.pcpus: [0]\n', /host\.pcpus=0.*host\.pcpus: .*\(allowed: >= 1\)/],
    ['sweep index out of range', 'name: x\nscenarios: [quick]\npolicies: [kvm]\nsweep:\n  vms.5.vcpus: [2]\n', /index 5 is out of range \('vms' has 2 items, allowed 0\.\.1\)/],
    ['bad sweep key', 'name: x\nscenarios: [quick]\npolicies: [kvm]\nsweep:\n  "host..hz": [2]\n', /dotted scenario path/],
    ['duplicate cells', 'name: x\nscenarios: [quick]\npolicies: [kvm]\nseeds: [1, 1]\n', /identical to matrix cell 0/],
    ['too large', `name: x\nscenarios: [quick]\npolicies: [kvm]\nseeds: {count: 10000}\nsweep:\n  host.hz: [100, 250, 300, 1000]\n  durationNs: [${[...Array(3).keys()].map((i) => 1e6 + i).join(', ')}]\n`, /expands to 120000 runs; the allowed maximum is 100000/]
  ]
  for (const [what, text, message] of bad) {
    it(`reject ${what} with an error naming the field`, () => {
      let err: unknown
      try {
        plan(text)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(CampaignError)
      expect((err as Error).message).toMatch(/^c\.yaml: /)
      expect((err as Error).message).toMatch(message)
    })
  }

  it('read scenario files relative to the campaign file', () => {
    const t = tempDir()
    try {
      writeText(join(t.dir, 'mine.yaml'), 'host: { pcpus: 2 }\nvms: [{ name: a, vcpus: 2, workload: spinlock-heavy }]\ndurationNs: 2000000\n')
      const spec = parseCampaignText('name: f\nscenarios: [{ file: mine.yaml }]\npolicies: [kvm]\n')
      const p = planCampaign(spec, engine, { baseDir: t.dir })
      expect(p.runs[0]!.label).toBe('mine')
      expect(p.runs[0]!.scenario.host.pcpus).toBe(2)
      expect(() => planCampaign(parseCampaignText('name: f\nscenarios: [{ file: missing.yaml }]\npolicies: [kvm]\n'), engine, { baseDir: t.dir })).toThrow(/cannot read .*missing\.yaml \(ENOENT\)/)
    } finally {
      t.cleanup()
    }
  })

  it('setPath creates missing objects but never invents list items', () => {
    const o: Record<string, unknown> = {}
    setPath(o, 'host.cfs.latencyNs', 5)
    expect(o).toEqual({ host: { cfs: { latencyNs: 5 } } })
    expect(() => setPath({}, 'vms.0.vcpus', 1)).toThrow(/'vms' does not exist/)
    const withRef: Record<string, unknown> = {}
    setPath(withRef, 'vms.0.vcpus', 9, { vms: [{ name: 'a', vcpus: 1 }] })
    expect(withRef).toEqual({ vms: [{ name: 'a', vcpus: 9 }] })
  })
})
