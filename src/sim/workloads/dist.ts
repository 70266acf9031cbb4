/**
 * Time distributions of workloads compiled to numbers (the hot path switches on an integer, not on the
 * `type` string of the scenario's Dist objects).
 */
import type { Dist } from '../../shared/scenario'
import type { Rng } from '../core/rng'
import * as rngMod from '../core/rng'

/** Module-local copy (CommonJS import bindings are getters). */
const expTable = rngMod.expTable

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

/**
 * Math.round(x), bit for bit, without its data-dependent branch (V8 lowers Math.round to ceil plus a
 * "ceil - 0.5 > x" correction, mispredicted half the time on random variates). For 0 < x < 2^52,
 * floor(x + 0.5) is exact except at x = 0.5 - 2^-54 (x + 0.5 rounds up to 1); from 2^52 on x + 0.5 ties
 * to even; +-0, negatives and NaN keep Math.round (their sign of zero differs). Those guards are
 * predictable branches.
 */
export function roundNs(x: number): number {
  return x > 0 && x < 4503599627370496 && x !== 0.49999999999999994 ? Math.floor(x + 0.5) : Math.round(x)
}

/** Draw one value (ns, rounded to an integer). */
export function sample(rng: Rng, d: CDist): number {
  switch (d.type) {
    case D_FIXED: return d.a
    case D_EXP: return roundNs(rng.exp(d.a))
    case D_UNIFORM: return d.a + roundNs(rng.nextFloat() * d.b)
    default: return roundNs(d.a * expTable(d.b * rng.normal()))
  }
}

/** Per-VM compiled distributions (built with the VM in sim-state.ts). */
export interface VmDists {
  compute: CDist; hold: CDist[]; nested: (CDist | null)[]; irqHandler: CDist; irqSoft: CDist; kind: number[]
  /** per section: a write acquisition (rwlock-write / rwsem-write) */
  write: boolean[]
}
