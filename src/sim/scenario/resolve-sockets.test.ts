/**
 * The default socket layout (host.sockets left out): sockets of 10 cores when the pCPU count is a
 * multiple of 10 and at least 20 (the paper's 80-core host = 8 x 10), else one socket. One definition
 * (shared/scenario.ts defaultSockets) serves the engine and the layout designer.
 */
import { describe, expect, it } from 'vitest'
import { resolveScenario } from './resolve'
import { defaultSockets } from '../../shared/scenario'

const socketsOf = (pcpus: number, sockets?: number) =>
  resolveScenario({ host: { pcpus, ...(sockets !== undefined ? { sockets } : {}) }, vms: [{ name: 'a', vcpus: 1, workload: 'cpu-bound' }], durationNs: 1_000_000 }).host.sockets

describe('default sockets', () => {
  it('keeps the paper host at 8 sockets of 10 cores', () => {
    expect(socketsOf(80)).toBe(8)
  })

  it('makes small hosts one socket (an 8-pCPU host is not 8 one-core sockets)', () => {
    for (const pcpus of [1, 2, 4, 8, 10, 16, 24, 32, 64, 6]) expect(socketsOf(pcpus), `${pcpus} pCPUs`).toBe(1)
  })

  it('splits multiples of 10 from 20 pCPUs into 10-core sockets', () => {
    expect(socketsOf(20)).toBe(2)
    expect(socketsOf(40)).toBe(4)
    expect(socketsOf(160)).toBe(16)
  })

  it('leaves an explicit socket count alone', () => {
    expect(socketsOf(8, 2)).toBe(2)
    expect(socketsOf(80, 1)).toBe(1)
  })

  it('resolves through shared defaultSockets, the function the layout designer shows as the placeholder', () => {
    for (const pcpus of [2, 8, 20, 40, 48, 80, 96, 100]) expect(defaultSockets(pcpus), `${pcpus} pCPUs`).toBe(socketsOf(pcpus))
  })
})
