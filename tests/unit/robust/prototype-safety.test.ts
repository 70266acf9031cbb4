/**
 * Issue 14 probe 2: a dotted path through __proto__ / constructor / prototype (CLI `--set`, campaign
 * sweep keys, `policy.params.*`, the app's campaigns:validate over the IPC contract) must be refused
 * with an error naming the path, and Object.prototype must be untouched afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setDottedPath } from '../../../src/shared/dotted-path'
import { runCli } from '../store/cli-helpers'
import { ipcServices } from '../store/ipc-services'

const HOSTILE = ['__proto__.polluted', 'constructor.prototype.polluted', 'vms.__proto__.polluted', 'policy.params.__proto__.polluted', 'host.constructor.polluted', 'prototype.polluted']

function prototypeSnapshot(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype].flatMap((p) => Reflect.ownKeys(p).map(String)).sort()
}

const before = prototypeSnapshot()
function expectPristine(): void {
  expect(prototypeSnapshot()).toEqual(before)
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  expect(([] as unknown as Record<string, unknown>)['polluted']).toBeUndefined()
}

describe('safe dotted-path setter', () => {
  it.each(HOSTILE)('refuses %s in both modes and leaves the prototypes alone', (path) => {
    for (const reference of [undefined, { vms: [{}], host: {}, policy: { params: {} } }]) {
      const target: Record<string, unknown> = { vms: [{ vcpus: 1 }], host: {}, policy: { params: {} } }
      expect(() => setDottedPath(target, path, 1, { where: '--set', reference })).toThrow(new RegExp(`--set ${path.replace(/\./g, '\\.')}: the segment '(__proto__|constructor|prototype)' is not allowed`))
      expectPristine()
    }
  })

  it('still sets ordinary paths, creating what is missing, as own properties only', () => {
    const t: Record<string, unknown> = {}
    setDottedPath(t, 'vms.1.workload.computeNs.ns', 5, { where: '--set' })
    expect(t).toEqual({ vms: [undefined, { workload: { computeNs: { ns: 5 } } }] })
    // an inherited name (toString) is not walked into: a fresh own object is created
    const u: Record<string, unknown> = {}
    setDottedPath(u, 'toString.x', 1, { where: '--set' })
    expect(Object.prototype.hasOwnProperty.call(u, 'toString')).toBe(true)
    expect(typeof Object.prototype.toString).toBe('function')
    expectPristine()
  })
})

describe('CLI --set', () => {
  it.each(HOSTILE)('ecs-lab run --set %s=1 fails naming the path', async (path) => {
    const r = await runCli(['run', '--preset', 'quick', '--duration-ms', '1', '--set', `${path}=1`])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`--set ${path}: the segment`)
    expectPristine()
  })
})

describe('campaign sweeps through the app (campaigns:validate over IPC) and the CLI', () => {
  const app = ipcServices('ecs-proto-')
  beforeAll(() => app.open())
  afterAll(() => app.close())

  const campaign = (sweepKey: string) =>
    ['name: hostile', 'scenarios: [{ preset: quick }]', 'policies: [kvm, { id: ecs, params: {} }]', 'seeds: [1]', 'sweep:', `  "${sweepKey}": [1, 2]`].join('\n') + '\n'

  it.each(HOSTILE)('sweep key %s is refused with its path', async (path) => {
    const res = await app.call<{ ok: boolean; errors?: string[] }>('campaigns:validate', { text: campaign(path), source: 'hostile.yaml' })
    expect(res.ok).toBe(false)
    expect(res.errors!.join('\n')).toContain(`sweep ${path}: the segment`)
    expectPristine()
  })

  it('campaign validate on the CLI refuses it too', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { tmpdir } = await import('node:os')
    const file = join(mkdtempSync(join(tmpdir(), 'ecs-proto-cli-')), 'c.yaml')
    writeFileSync(file, campaign('__proto__.polluted'))
    const r = await runCli(['campaign', 'validate', file])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('sweep __proto__.polluted: the segment')
    expectPristine()
  })
})
