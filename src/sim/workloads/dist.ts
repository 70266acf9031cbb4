/**
 * Time distributions of workloads compiled to numbers (the hot path switches on an integer, not on the
 * `type` string of the scenario's Dist objects).
 */
import type { Dist } from '../../shared/scenario'
import type { Rng } from '../core/rng'

/** A distribution compiled to numbers (no string switch on the hot path). */
export interface CDist { readonly type: number; readonly a: number; readonly b: number }
export const D_FIXED = 0
export const D_EXP = 1
export const D_UNIFORM = 2
export const D_LOGNORMAL = 3

export function compileDist(d: Dist): CDist {
  switch (d.type) {
    case 'fixed': return { type: D_FIXED, a: d.ns, b: 0 }
    case 'exp': return { type: D_EXP, a: d.meanNs, b: 0 }
    case 'uniform': return { type: D_UNIFORM, a: d.minNs, b: d.maxNs - d.minNs }
    case 'lognormal': return { type: D_LOGNORMAL, a: d.medianNs, b: d.sigma }
  }
}

/** Draw one value (ns, rounded to an integer). */
export function sample(rng: Rng, d: CDist): number {
  switch (d.type) {
    case D_FIXED: return d.a
    case D_EXP: return Math.round(rng.exp(d.a))
    case D_UNIFORM: return d.a + Math.round(rng.nextFloat() * d.b)
    default: return Math.round(d.a * Math.exp(d.b * rng.normal()))
  }
}
