/**
 * Small-sample statistics over seeds (pure), shared by the comparison library (`ecs-lab compare`,
 * `reproduce`), the main-side compare service and the renderer, so the app and the command line print
 * the same means, confidence intervals and ratios for the same runs.
 *
 * Ratios between policies are paired by seed: the same seed gives both policies the same workload
 * draws at the start, so the per-seed ratio policy(seed) / baseline(seed) removes part of the
 * seed-to-seed variance; its mean and Student-t CI are what tables and whiskers show.
 */

/** Two-sided 95 % Student-t quantiles (t_{0.975}) for 1..30 degrees of freedom; 1.96 beyond. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042]

export function tQuantile975(df: number): number {
  if (!(df >= 1)) return NaN
  return df <= T975.length ? T975[Math.floor(df) - 1] : 1.96
}

export interface Stat {
  n: number
  mean: number
  /** Sample standard deviation (n - 1); 0 when n < 2. */
  sd: number
  /** 95 % CI of the mean (Student t, n - 1 degrees of freedom); equal to the mean when n < 2. */
  low: number
  high: number
}

/** Mean, sd and 95 % CI of the finite values. */
export function statOf(values: readonly number[]): Stat {
  const xs = values.filter((x) => Number.isFinite(x))
  const n = xs.length
  if (n === 0) return { n: 0, mean: NaN, sd: NaN, low: NaN, high: NaN }
  const mean = xs.reduce((a, b) => a + b, 0) / n
  if (n < 2) return { n, mean, sd: 0, low: mean, high: mean }
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1))
  const half = (tQuantile975(n - 1) * sd) / Math.sqrt(n)
  return { n, mean, sd, low: mean - half, high: mean + half }
}

/**
 * Paired ratio over seeds: statOf(policy(seed) / baseline(seed)) over the seeds both have, skipping a
 * zero or non-finite baseline. `n` is the number of pairs.
 */
export function pairedRatioOf(policy: ReadonlyMap<number, number>, baseline: ReadonlyMap<number, number>): Stat {
  const ratios: number[] = []
  for (const [seed, v] of policy) {
    const b = baseline.get(seed)
    if (b !== undefined && b !== 0 && Number.isFinite(b) && Number.isFinite(v)) ratios.push(v / b)
  }
  return statOf(ratios)
}

/**
 * Unpaired ratio of means, mean(num) / mean(den), with a 95 % CI by the delta method:
 * Var(p/b) ~ Var(p)/b^2 + p^2 Var(b)/b^4 with the standard errors of both means, Student t with
 * min(n_num, n_den) - 1 degrees of freedom. The one estimate for runs that cannot be paired by seed
 * (the renderer's results and sweep views and the figure builders use it). `low`/`high` are NaN when a
 * side has fewer than two finite values or the denominator's mean is not positive; `n` is min(n_num, n_den).
 */
export function ratioOfMeans(num: readonly number[], den: readonly number[]): { ratio: number; low: number; high: number; n: number } {
  const p = statOf(num)
  const b = statOf(den)
  const n = Math.min(p.n, b.n)
  const ratio = b.mean > 0 ? p.mean / b.mean : NaN
  if (!Number.isFinite(ratio) || n < 2) return { ratio, low: NaN, high: NaN, n }
  const seP = p.sd / Math.sqrt(p.n)
  const seB = b.sd / Math.sqrt(b.n)
  const half = tQuantile975(n - 1) * Math.sqrt(seP ** 2 / b.mean ** 2 + (p.mean ** 2 * seB ** 2) / b.mean ** 4)
  return { ratio, low: ratio - half, high: ratio + half, n }
}
