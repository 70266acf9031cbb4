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

/** erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7: far below the KS thresholds used here). */
function erf(x: number): number {
  const s = x < 0 ? -1 : 1
  const a = Math.abs(x)
  const t = 1 / (1 + 0.3275911 * a)
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a)
  return s * y
}
const normCdf = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2))
const expCdf = (x: number): number => (x <= 0 ? 0 : 1 - Math.exp(-x))

/** Kolmogorov-Smirnov statistic D of a sample against a continuous CDF. */
function ksD(xs: Float64Array, cdf: (x: number) => number): number {
  const a = Float64Array.from(xs).sort()
  const n = a.length
  let d = 0
  for (let i = 0; i < n; i++) {
    const c = cdf(a[i])
    d = Math.max(d, c - i / n, (i + 1) / n - c)
  }
  return d
}
function moments(xs: Float64Array): { mean: number; variance: number } {
  let s = 0
  for (const x of xs) s += x
  const mean = s / xs.length
  let v = 0
  for (const x of xs) v += (x - mean) ** 2
  return { mean, variance: v / (xs.length - 1) }
}

// KS critical value at the 0.001 level: 1.9495 / sqrt(n) (asymptotic Kolmogorov distribution)
const N = 100_000
const KS_CRIT = 1.9495 / Math.sqrt(N)

describe('ziggurat samplers (Marsaglia & Tsang 2000) match the exact distributions', () => {
  it('normal: KS vs the normal CDF at the 0.001 level, mean 0, variance 1, symmetric, tail mass', () => {
    for (const seed of [1, 2, 3]) {
      const r = new Rng(seed, streamKey(9, seed))
      const xs = new Float64Array(N)
      for (let i = 0; i < N; i++) xs[i] = r.normal()
      expect(ksD(xs, normCdf)).toBeLessThan(KS_CRIT)
      const m = moments(xs)
      expect(Math.abs(m.mean)).toBeLessThan(5 / Math.sqrt(N)) // sd of the mean 1/sqrt(n)
      expect(Math.abs(m.variance - 1)).toBeLessThan(5 * Math.sqrt(2 / N)) // sd of s^2: sqrt(2/n)
      // the |x| > r tail (Marsaglia's tail method): P = 2 (1 - Phi(3.4426)) = 5.76e-4, 57.6 expected
      let tail = 0
      for (const x of xs) if (Math.abs(x) > 3.4426198558966523) tail++
      expect(tail).toBeGreaterThan(57.6 - 5 * Math.sqrt(57.6))
      expect(tail).toBeLessThan(57.6 + 5 * Math.sqrt(57.6))
    }
  })
  it('normal: KS of |x| within the wedge-heavy outer layers (1.5 < |x| < 3.4)', () => {
    const r = new Rng(11, 5)
    const xs: number[] = []
    for (let i = 0; i < 400_000; i++) {
      const x = Math.abs(r.normal())
      if (x > 1.5 && x < 3.4) xs.push(x)
    }
    const lo = normCdf(1.5)
    const span = normCdf(3.4) - lo
    expect(ksD(Float64Array.from(xs), (x) => (normCdf(x) - lo) / span)).toBeLessThan(1.9495 / Math.sqrt(xs.length))
  })
  it('exponential: KS vs 1 - exp(-x) at the 0.001 level, mean and variance, tail mass', () => {
    for (const seed of [1, 2, 3]) {
      const r = new Rng(seed, streamKey(10, seed))
      const xs = new Float64Array(N)
      for (let i = 0; i < N; i++) xs[i] = r.exp(1)
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
      expect(ksD(xs, expCdf)).toBeLessThan(KS_CRIT)
      const m = moments(xs)
      expect(Math.abs(m.mean - 1)).toBeLessThan(5 / Math.sqrt(N))
      expect(Math.abs(m.variance - 1)).toBeLessThan(5 * Math.sqrt(8 / N)) // var of s^2: (mu4 - 1) / n = 8 / n
      let tail = 0
      for (const x of xs) if (x > 7.697117470131051) tail++
      const e = N * Math.exp(-7.697117470131051) // 45.3
      expect(tail).toBeGreaterThan(e - 5 * Math.sqrt(e))
      expect(tail).toBeLessThan(e + 5 * Math.sqrt(e))
    }
  })
  it('fast-path draws are pinned (exact IEEE arithmetic on literal tables: the same bits on every engine)', () => {
    const r = new Rng(1, 1)
    expect([r.exp(1), r.exp(1), r.exp(1), r.normal(), r.normal(), r.normal()]).toEqual(
      [0.7154231933929003, 0.7472561335535172, 0.013453681604785815, 0.6140499240642332, -0.13627442971847104, 0.6233665996795438])
  })
  it('exponential: the mean scales; deterministic per (seed, stream)', () => {
    const a = new Rng(5, 77)
    const b = new Rng(5, 77)
    const xa = new Float64Array(N)
    const xb = new Float64Array(N)
    for (let i = 0; i < N; i++) {
      xa[i] = a.exp(1000)
      xb[i] = b.exp(1000)
    }
    expect(xa).toEqual(xb)
    expect(Math.abs(moments(xa).mean - 1000)).toBeLessThan(5000 / Math.sqrt(N))
    const na = Array.from({ length: 1000 }, () => a.normal())
    expect(Array.from({ length: 1000 }, () => b.normal())).toEqual(na)
  })
})
