/**
 * examples/: every campaign file validates against the published JSON Schema (schemas/campaign.schema.json,
 * with Ajv, as an editor would) and runs (`campaign run --quick`: the whole matrix, first seed, 5 ms per
 * cell); the paper-reproduction files are what scripts/gen-examples.ts makes from the `reproduce` matrix
 * and expand to exactly its runs; the cluster script is docs/slurm.md's; the README points at them.
 */
import Ajv2020 from 'ajv/dist/2020'
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { paperCampaigns } from '../../scripts/gen-examples'
import { planCampaign, readCampaignFile } from '../../src/main/services/campaign-plan'
import { ENGINE_VERSION, resolveScenario } from '../../src/sim'
import { buildMatrix, fullConfig, type Part } from '../../src/sim/reproduce/matrix'
import { runCli, storeContent } from './store/cli-helpers'
import { tempDir } from './store/helpers'

const ROOT = join(__dirname, '../..')
const EXAMPLES = join(ROOT, 'examples')

function campaignFiles(dir = EXAMPLES): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? campaignFiles(join(dir, e.name)) : /\.(ya?ml|json)$/.test(e.name) ? [join(dir, e.name)] : []))
    .sort()
}

const files = campaignFiles()
const rel = (f: string) => relative(ROOT, f)

describe('examples/', () => {
  const tmp = tempDir('ecs-examples-')
  afterAll(() => tmp.cleanup())

  it('holds the paper reproduction, a commit sweep, a policy-variant study and a cluster run', () => {
    expect(files.map(rel)).toEqual(
      expect.arrayContaining([
        'examples/paper-reproduction/headline.yaml',
        'examples/paper-reproduction/sweep.yaml',
        'examples/paper-reproduction/abuse.yaml',
        'examples/paper-reproduction/eevdf.yaml',
        'examples/commit-sweep.yaml',
        'examples/eevdf-vs-cfs.yaml',
        'examples/policy-variants.yaml',
        'examples/cluster/overcommit.yaml'
      ])
    )
  })

  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/campaign.schema.json'), 'utf8')) as object
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema)

  it('the JSON Schema check is not vacuous (a bad file fails it)', () => {
    expect(validate({ name: 'x', scenarios: ['quick'], policies: ['kvm'], seeds: { count: 0 } })).toBe(false)
    expect(validate({ name: 'x', scenarios: ['quick'], policies: ['kvm'], sweep: { 'host.hz': [] } })).toBe(false)
  })

  it.each(files.map(rel))('%s validates against schemas/campaign.schema.json', (file) => {
    const data = parse(readFileSync(join(ROOT, file), 'utf8')) as unknown
    const ok = validate(data)
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([])
    expect(ok).toBe(true)
  })

  it.each(files.map(rel))('%s runs (campaign run --quick)', async (file) => {
    const db = join(tmp.dir, `${file.replace(/[/.]/g, '_')}.sqlite`)
    const r = await runCli(['campaign', 'run', join(ROOT, file), '--quick', '--db', db, '--workers', '2', '--no-progress'])
    expect(r.code, r.stderr + r.stdout).toBe(0)
    const { spec } = readCampaignFile(join(ROOT, file))
    const content = storeContent(db)
    const runs = content['runs'] as { status: string }[]
    // the whole matrix on one seed: every scenario x sweep point x policy, all done
    const points = Object.values(spec.sweep).reduce((n, v) => n * v.length, 1)
    expect(runs).toHaveLength(spec.scenarios.length * points * spec.policies.length)
    expect(runs.every((x) => x.status === 'done')).toBe(true)
  }, 600_000)

  it('the paper-reproduction files are what scripts/gen-examples.ts writes', () => {
    for (const [part, text] of Object.entries(paperCampaigns())) {
      expect(readFileSync(join(EXAMPLES, 'paper-reproduction', `${part}.yaml`), 'utf8'), `regenerate with: npx tsx scripts/gen-examples.ts`).toBe(text)
    }
  })

  it('the paper-reproduction files expand to exactly the runs of `ecs-lab reproduce` (full matrix)', () => {
    const c = fullConfig()
    const expected = new Set<string>()
    for (const p of buildMatrix(c)) {
      for (const pol of p.policies) {
        for (let seed = 1; seed <= c.seeds; seed++) expected.add(JSON.stringify(resolveScenario({ ...p.scenario, seed, policy: { id: pol.id, params: pol.params ?? {} } })))
      }
    }
    const actual = new Set<string>()
    for (const part of ['headline', 'sweep', 'abuse', 'eevdf'] as Part[]) {
      const file = join(EXAMPLES, 'paper-reproduction', `${part}.yaml`)
      const { spec, baseDir } = readCampaignFile(file)
      const plan = planCampaign(spec, { engineVersion: ENGINE_VERSION, resolveScenario }, { source: file, baseDir })
      for (const r of plan.runs) actual.add(JSON.stringify(r.scenario))
    }
    expect(expected.size).toBe(690)
    expect(actual.size).toBe(expected.size)
    expect([...actual].filter((k) => !expected.has(k))).toEqual([])
  })

  it('the cluster script is the one in docs/slurm.md', () => {
    const doc = readFileSync(join(ROOT, 'docs/slurm.md'), 'utf8')
    const block = /```sh\n(#!\/bin\/bash\n[\s\S]*?)```/.exec(doc)![1]
    expect(readFileSync(join(EXAMPLES, 'cluster/campaign.sbatch'), 'utf8')).toBe(block)
  })

  it('the README points at every example', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    for (const f of [...files.map(rel), 'examples/cluster/campaign.sbatch']) expect(readme, f).toContain(f)
  })
})
