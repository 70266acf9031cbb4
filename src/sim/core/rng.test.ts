import { describe, expect, it } from 'vitest'
import { Rng, streamKey } from './rng'

describe('Rng (xoshiro128** seeded per stream)', () => {
  it('is deterministic for (seed, stream)', () => {
    const a = new Rng(42, streamKey(1, 0, 3))
    const b = new Rng(42, streamKey(1, 0, 3))
    for (let i = 0; i < 1000; i++) expect(a.nextU32()).toBe(b.nextU32())
  })
  it('different streams and seeds differ', () => {
    const a = new Rng(42, streamKey(1, 0, 3))
    const b = new Rng(42, streamKey(1, 0, 4))
    const c = new Rng(43, streamKey(1, 0, 3))
    const xa = Array.from({ length: 8 }, () => a.nextU32())
    expect(Array.from({ length: 8 }, () => b.nextU32())).not.toEqual(xa)
    expect(Array.from({ length: 8 }, () => c.nextU32())).not.toEqual(xa)
  })
  it('uniform floats in [0,1) with a plausible mean; exp has the requested mean', () => {
    const r = new Rng(7, 1)
    let s = 0
    let e = 0
    let lo = 1
    let hi = 0
    const n = 200_000
    for (let i = 0; i < n; i++) {
      const x = r.nextFloat()
      lo = Math.min(lo, x)
      hi = Math.max(hi, x)
      s += x
      e += r.exp(1000)
    }
    expect(lo).toBeGreaterThanOrEqual(0)
    expect(hi).toBeLessThan(1)
    expect(s / n).toBeCloseTo(0.5, 2)
    expect(e / n).toBeGreaterThan(980)
    expect(e / n).toBeLessThan(1020)
  })
})
