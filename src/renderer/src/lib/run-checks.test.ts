import { describe, expect, it } from 'vitest'
import { defaultWarmupNs, durationError, FORM_WARMUP_NS, overcommitWarning, warmupError } from './run-checks'

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
  it('checks the warm-up against the simulated time, naming the field and the range in ms', () => {
    expect(warmupError(null, 20e6)).toBeNull()
    expect(warmupError(0, 20e6)).toBeNull()
    expect(warmupError(19_999_999, 20e6)).toBeNull()
    expect(warmupError(20e6, 20e6)).toBe('Warm-up must be at least 0 ms and less than the simulated time: 0 ≤ warm-up < 20 ms (got 20 ms)')
    expect(warmupError(-1e6, 20e6)).toMatch(/^Warm-up must be at least 0 ms .*\(got -1 ms\)$/)
    expect(warmupError(NaN, 20e6)).toMatch(/^Warm-up: enter a number of ms/)
    expect(warmupError(5e6, null)).toBeNull()
  })
  it('defaults the warm-up to the measured transient, at most half the run', () => {
    expect(defaultWarmupNs(1e9)).toBe(FORM_WARMUP_NS)
    expect(defaultWarmupNs(FORM_WARMUP_NS)).toBe(FORM_WARMUP_NS / 2)
    expect(defaultWarmupNs(3e6)).toBe(1.5e6)
  })
  it('warns above 8 vCPUs per pCPU', () => {
    expect(overcommitWarning(2)).toBeNull()
    expect(overcommitWarning(8)).toBeNull()
    expect(overcommitWarning(126)).toMatch(/^126× over-commit/)
    expect(overcommitWarning(NaN)).toBeNull()
  })
})
