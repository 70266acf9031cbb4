import { describe, expect, it } from 'vitest'
import { defaultDraft, draftFromScenario, isFormPath, issuesAt, issuesFromMessage, toScenarioInput, validateDraft } from './draft'
import { ScenarioInputSchema } from '../../../shared/scenario'

describe('layout draft', () => {
  it('the default draft is a valid 2x over-committed scenario', () => {
    const d = defaultDraft('spinlock-heavy')
    expect(validateDraft(d, ['spinlock-heavy'])).toEqual({})
    const { input } = toScenarioInput(d)
    expect(ScenarioInputSchema.safeParse(input).success).toBe(true)
    expect((input.host as Record<string, unknown>).sockets).toBeUndefined()
  })

  it('puts schema messages on the field path', () => {
    const d = defaultDraft('w')
    d.vms[1].vcpus = 0
    d.host.pcpus = 0
    const issues = validateDraft(d)
    expect(issuesAt(issues, 'vms.1.vcpus')[0]).toMatch(/>= 1/)
    expect(issuesAt(issues, 'host.pcpus')[0]).toMatch(/>= 1/)
  })

  it('checks cross-field rules: sockets, pinning, unique names, known workloads', () => {
    const d = defaultDraft('w')
    d.host.sockets = 3
    d.vms[1].name = d.vms[0].name
    d.vms[0].pinned = true
    d.vms[0].pinning = [0, 1, 99]
    d.vms[1].workloadPreset = 'nope'
    const issues = validateDraft(d, ['w'])
    expect(issues['host.sockets']).toEqual(['must divide the pCPU count (8)'])
    expect(issues['vms.1.name'][0]).toMatch(/duplicate/)
    expect(issues['vms.0.pinning'].join(' ')).toMatch(/one pCPU per vCPU/)
    expect(issues['vms.0.pinning'].join(' ')).toMatch(/99 is outside/)
    expect(issues['vms.1.workload'][0]).toMatch(/unknown workload preset/)
  })

  it('names pinning entries that are not numbers by position, never as NaN', () => {
    const d = defaultDraft('spinlock-heavy')
    d.vms[0].pinned = true
    d.vms[0].pinning = [0, NaN, NaN, 3]
    const msgs = issuesAt(validateDraft(d), 'vms.0.pinning', true).join(' ')
    expect(msgs).not.toMatch(/NaN/)
    expect(msgs).toMatch(/entries 2, 3 are not a pCPU number: give whole numbers 0\.\.\d+/)
  })

  it('reports custom workload JSON and schema problems inside the profile', () => {
    const d = defaultDraft('w')
    d.vms[0].workloadMode = 'custom'
    d.vms[0].workloadJson = '{ nope'
    expect(validateDraft(d)['vms.0.workload'][0]).toMatch(/not valid JSON/)
    d.vms[0].workloadJson = JSON.stringify({ sections: [{ kind: 'bogus' }] })
    const issues = validateDraft(d)
    expect(Object.keys(issues)).toContain('vms.0.workload.sections.0.kind')
    expect(issuesAt(issues, 'vms.0.workload', true)[0]).toMatch(/^sections\.0\.kind: /)
  })

  it('round-trips a stored scenario without losing fields it does not edit', () => {
    const stored = { host: { pcpus: 4, sockets: 1, hz: 1000, cpuGhz: 2, cfs: { latencyNs: 1e6, migrationCostNs: 5 }, ple: { gap: 0, window: 1, grow: 1, shrink: 1, windowMax: 9 }, costs: { vmExitCycles: 1 } },
      guest: { hz: 100 }, vms: [{ name: 'a', vcpus: 2, workload: { title: 't' }, pinning: [1, 2], weight: 2048 }], durationNs: 5e6, seed: 3, policy: { id: 'kvm', params: {} } }
    const d = draftFromScenario(stored as never, 'w')
    expect(d.vms[0].workloadMode).toBe('custom')
    expect(d.vms[0].pinned).toBe(true)
    const { input } = toScenarioInput(d)
    expect(input).toEqual({ ...stored, host: { ...stored.host, cfs: { latencyNs: 1e6, migrationCostNs: 5 } } })
  })

  it('parses server messages by path and knows which paths the form shows', () => {
    expect(issuesFromMessage('vms.0.vcpus: too big; (root): bad')).toEqual({ 'vms.0.vcpus': ['too big'], '': ['bad'] })
    expect(isFormPath('host.ple.gap')).toBe(true)
    expect(isFormPath('vms.3.workload.sections.0.kind')).toBe(true)
    expect(isFormPath('guest.hz')).toBe(false)
  })
})
