import { describe, expect, it } from 'vitest'
import { durationError, overcommitWarning } from './run-checks'

describe('run form checks', () => {
  it('reports the simulated time range in ms, never in ns', () => {
    expect(durationError(null)).toBeNull()
    expect(durationError(20e6)).toBeNull()
    const e = durationError(500)!
    expect(e).toMatch(/between 0\.001 ms and 1,000,000 ms/)
    expect(e).toContain('got 0.0005 ms')
    expect(e).not.toMatch(/\b1000\b/)
    expect(durationError(2e12)).toMatch(/between/)
    expect(durationError(NaN)).toMatch(/number of ms/)
  })
  it('warns above 8 vCPUs per pCPU', () => {
    expect(overcommitWarning(2)).toBeNull()
    expect(overcommitWarning(8)).toBeNull()
    expect(overcommitWarning(126)).toMatch(/^126× over-commit/)
    expect(overcommitWarning(NaN)).toBeNull()
  })
})
