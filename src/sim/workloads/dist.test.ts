import { describe, expect, it } from 'vitest'
import { Rng } from '../core/rng'
import { compileDist, roundNs, sample } from './dist'

describe('workload distributions', () => {
  it('roundNs is Math.round bit for bit (edge cases and 10^6 variates of every scale)', () => {
    const edge = [0, -0, 0.5, 1.5, 2.5, 0.49999999999999994, 0.5000000000000001, 2.4999999999999996, 1e-300, 5e-324,
      4503599627370495.5, 4503599627370496, 4503599627370497, 2 ** 53 + 2, -0.4, -0.5, -2.5, -2.6, NaN, Infinity, -Infinity]
    for (const x of edge) expect(Object.is(roundNs(x), Math.round(x))).toBe(true)
    const r = new Rng(3, 4)
    for (let i = 0; i < 1_000_000; i++) {
      const x = r.exp(1) * 10 ** ((i % 13) - 4)
      if (!Object.is(roundNs(x), Math.round(x))) expect(roundNs(x)).toBe(Math.round(x))
      const h = Math.floor(x) + 0.5 // exact halves
      if (!Object.is(roundNs(h), Math.round(h))) expect(roundNs(h)).toBe(Math.round(h))
    }
  })
  it('samples are integers with the right centre', () => {
    const r = new Rng(1, 9)
    const ln = compileDist({ type: 'lognormal', medianNs: 700, sigma: 0.7 })
    const ex = compileDist({ type: 'exp', meanNs: 8000 })
    const xs = Array.from({ length: 20_001 }, () => sample(r, ln)).sort((a, b) => a - b)
    expect(xs.every(Number.isInteger)).toBe(true)
    expect(Math.abs(xs[10_000] - 700)).toBeLessThan(25) // median
    let s = 0
    for (let i = 0; i < 20_000; i++) s += sample(r, ex)
    expect(Math.abs(s / 20_000 - 8000)).toBeLessThan(5 * 8000 / Math.sqrt(20_000))
  })
})
