/**
 * Percentiles of a log2 histogram (pure). The engine keeps lock-wait times in log2 buckets: bucket i
 * counts waits in [2^i, 2^(i+1)) ns, and bucket 0 also holds waits of 0 ns (src/shared/result.ts).
 * Reporting a percentile as the bucket's bound rounds every value to a power of two (524,288 ns for
 * every policy); instead the rank is interpolated linearly inside the bucket it falls in, assuming the
 * bucket's samples are spread evenly over [lower, upper). The result stays inside that bucket, so it is
 * never off by more than the bucket's width, and differences between runs inside one bucket show.
 */

/** Lower and upper bound (ns) of log2 bucket `i`: [2^i, 2^(i+1)); bucket 0 is [0, 2). */
export function log2BucketBounds(i: number): [number, number] {
  return [i === 0 ? 0 : 2 ** i, 2 ** (i + 1)]
}

/**
 * The q-quantile (0 <= q <= 1) of a log2 histogram, interpolated within its bucket; 0 for an empty
 * histogram. The rank q * total falls in the first bucket whose cumulative count reaches it; the value
 * is lower + (rank - countBefore) / countInBucket * (upper - lower).
 */
export function log2HistogramQuantile(buckets: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be between 0 and 1, got ${q}`)
  const total = buckets.reduce((a, b) => a + (b > 0 ? b : 0), 0)
  if (total === 0) return 0
  const rank = q * total
  let before = 0
  for (let i = 0; i < buckets.length; i++) {
    const n = buckets[i]! > 0 ? buckets[i]! : 0
    if (n > 0 && before + n >= rank) {
      const [lo, hi] = log2BucketBounds(i)
      return lo + ((rank - before) / n) * (hi - lo)
    }
    before += n
  }
  // unreachable for q <= 1 (the loop reaches the total); kept for floating-point safety
  let last = buckets.length - 1
  while (last > 0 && !(buckets[last]! > 0)) last--
  return log2BucketBounds(last)[1]
}
