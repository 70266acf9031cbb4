/** Small-sample statistics for results over seeds (pure). */

export interface Summary {
  n: number
  mean: number
  stdev: number
  /** Half-width of the 95% confidence interval of the mean (Student t); 0 when n < 2. */
  ci95: number
}

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042]

export function tQuantile975(df: number): number {
  if (df < 1) return NaN
  return df <= 30 ? T975[df - 1] : 1.96
}

export function summarize(values: readonly number[]): Summary {
  const xs = values.filter((v) => Number.isFinite(v))
  const n = xs.length
  if (n === 0) return { n: 0, mean: NaN, stdev: NaN, ci95: NaN }
  const mean = xs.reduce((a, b) => a + b, 0) / n
  if (n === 1) return { n, mean, stdev: 0, ci95: 0 }
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)
  const stdev = Math.sqrt(variance)
  return { n, mean, stdev, ci95: tQuantile975(n - 1) * stdev / Math.sqrt(n) }
}
