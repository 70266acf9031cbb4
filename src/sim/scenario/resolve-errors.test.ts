/** resolveScenario reports every field error at once, an unknown workload name included. */
import { describe, expect, it } from 'vitest'
import { resolveScenario } from './resolve'
import { ScenarioError } from '../index'

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    resolveScenario(input)
  } catch (err) {
    if (err instanceof ScenarioError) return err.issues
    throw err
  }
  throw new Error('expected a ScenarioError')
}

describe('resolveScenario errors', () => {
  it('reports an unknown workload name together with the schema errors, not after them', () => {
    const issues = issuesOf({
      host: { pcpus: 4, hz: 123 },
      vms: [{ name: 'a', vcpus: 4, workload: 'no-such-workload' }, { name: 'b', vcpus: 0, workload: 'cpu-bound' }],
      durationNs: 1_000_000
    })
    const paths = issues.map((i) => i.path)
    expect(paths).toContain('host.hz')
    expect(paths).toContain('vms.1.vcpus')
    expect(paths).toContain('vms.0.workload')
    expect(issues.find((i) => i.path === 'vms.0.workload')!.message).toMatch(/unknown workload 'no-such-workload' \(allowed: cpu-bound, /)
  })

  it('reports it once when it is the only error', () => {
    const issues = issuesOf({ host: { pcpus: 4 }, vms: [{ name: 'a', vcpus: 4, workload: 'nope' }], durationNs: 1_000_000 })
    expect(issues).toEqual([{ path: 'vms.0.workload', message: expect.stringMatching(/^unknown workload 'nope'/) }])
  })
})
