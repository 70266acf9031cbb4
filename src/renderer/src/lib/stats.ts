/** Small-sample statistics for results over seeds (pure): the shared functions, in the renderer's shape. */
import { statOf, tQuantile975 } from '../../../shared/stats'

export { tQuantile975 }

export interface Summary {
  n: number
  mean: number
  stdev: number
  /** Half-width of the 95% confidence interval of the mean (Student t); 0 when n < 2. */
  ci95: number
}

export function summarize(values: readonly number[]): Summary {
  const s = statOf(values)
  return { n: s.n, mean: s.mean, stdev: s.sd, ci95: s.n === 0 ? NaN : s.high - s.mean }
}
