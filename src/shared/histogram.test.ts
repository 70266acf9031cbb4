import { describe, expect, it } from 'vitest'
import { log2BucketBounds, log2HistogramQuantile } from './histogram'

describe('log2HistogramQuantile', () => {
  it('is 0 for an empty histogram', () => {
    expect(log2HistogramQuantile([], 0.99)).toBe(0)
    expect(log2HistogramQuantile([0, 0, 0], 0.5)).toBe(0)
  })

  it('interpolates inside the bucket the rank falls in, not its upper bound', () => {
    // 100 waits, all in bucket 19 = [524288, 1048576)
    const b = new Array<number>(20).fill(0)
    b[19] = 100
    expect(log2HistogramQuantile(b, 0.5)).toBe(524288 + 0.5 * 524288)
    expect(log2HistogramQuantile(b, 0.99)).toBeCloseTo(524288 + 0.99 * 524288, 6)
    // stays inside the bucket (the old bucket-bound answer was 1048576 for both)
    expect(log2HistogramQuantile(b, 0.99)).toBeLessThan(1048576)
  })

  it('counts the samples of earlier buckets before interpolating', () => {
    // 90 in [8, 16), 10 in [1024, 2048): p50 in the first, p95 halfway through the second
    const b = [0, 0, 0, 90, 0, 0, 0, 0, 0, 0, 10]
    expect(log2HistogramQuantile(b, 0.5)).toBeCloseTo(8 + (50 / 90) * 8, 9)
    expect(log2HistogramQuantile(b, 0.95)).toBeCloseTo(1024 + 0.5 * 1024, 9)
    expect(log2HistogramQuantile(b, 1)).toBe(2048)
  })

  it('tells apart two runs whose p99 is in the same bucket', () => {
    const a = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 99, 1]
    const c = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50, 50]
    expect(log2HistogramQuantile(a, 0.99)).not.toBe(log2HistogramQuantile(c, 0.99))
  })

  it('is monotone in q', () => {
    const b = [3, 0, 5, 7, 0, 2, 9, 1]
    let prev = -1
    for (let q = 0; q <= 1.0000001; q += 0.01) {
      const v = log2HistogramQuantile(b, Math.min(1, q))
      expect(v).toBeGreaterThanOrEqual(prev)
      prev = v
    }
  })

  it('names the allowed range for a bad q', () => {
    expect(() => log2HistogramQuantile([1], 1.5)).toThrow(/between 0 and 1/)
  })

  it('bucket bounds: bucket 0 starts at 0', () => {
    expect(log2BucketBounds(0)).toEqual([0, 2])
    expect(log2BucketBounds(3)).toEqual([8, 16])
  })
})
