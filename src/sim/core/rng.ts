/**
 * Deterministic PRNG streams: xoshiro128** (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c)
 * seeded through SplitMix32 from (seed, stream key). Each entity (vCPU, guest task, pCPU noise) owns one
 * stream keyed by its stable identity, not by construction order, so adding an entity does not
 * reshuffle the others (ns-3 seed/run/stream discipline). No global state; 32-bit integer ops only, so
 * results are bit-identical on every JS engine.
 */
import * as zt from './ziggurat-tables'

// module-local copies (CommonJS import bindings are getters)
const NK = zt.ZIG_N_K
const NW = zt.ZIG_N_W
const NF = zt.ZIG_N_F
const NR = zt.ZIG_N_R
const EK = zt.ZIG_E_K
const EW = zt.ZIG_E_W
const EF = zt.ZIG_E_F
const ER = zt.ZIG_E_R

/** SplitMix32 step (Steele, Lea, Flood 2014, 32-bit variant): a good bijective mixer. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}

/** Stream key from a small tuple of non-negative integers (category, a, b). */
export function streamKey(category: number, a = 0, b = 0): number {
  return mix32(mix32(mix32(category) ^ a) ^ Math.imul(b, 0x27d4eb2d))
}

export class Rng {
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  constructor(seed: number, stream: number) {
    let x = mix32(seed >>> 0) ^ mix32(stream ^ 0x5bd1e995)
    x = mix32(x)
    this.s0 = x = mix32(x)
    this.s1 = x = mix32(x)
    this.s2 = x = mix32(x)
    this.s3 = mix32(x)
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1
  }

  /** Next uint32. */
  nextU32(): number {
    return this.next32() >>> 0
  }

  /** Next 32 random bits as a signed int32 (stays a small integer in optimised code). */
  private next32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9)
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return r
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  nextFloat(): number {
    return this.nextU32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n)
  }

  /** Exponential with the given mean (inverse transform; never returns Infinity). */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.nextFloat())
  }

  private spare = 0
  private hasSpare = false

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false
      return this.spare
    }
    const u1 = 1 - this.nextFloat()
    const u2 = this.nextFloat()
    const r = Math.sqrt(-2 * Math.log(u1))
    const th = 2 * Math.PI * u2
    this.spare = r * Math.sin(th)
    this.hasSpare = true
    return r * Math.cos(th)
  }

  /**
   * Exponential with the given mean: ziggurat (Marsaglia & Tsang 2000, 256 layers, tables in
   * ziggurat-tables.ts). One uint32 per draw in ~98.9% of draws: low 8 bits pick the layer, the high
   * 24 bits the point (x = j * x[i] / 2^24); accepted when it lies inside the layer's rectangle.
   */
  expZ(mean: number): number {
    const u = this.next32()
    const i = u & 255
    const j = u >>> 8
    if (j < EK[i]) return mean * (j * EW[i])
    return mean * this.expSlow(i, j)
  }

  /**
   * Rare paths of expZ. Tail (base layer, x >= r): r + Exp(1) (memorylessness). Wedge: accept x if a
   * uniform height in [f(x_i), f(x_i-1)) lies under exp(-x), else draw again. Math.exp / Math.log run
   * only here (~1.1% of draws); their last-ulp differences between engines could change the outcome
   * only if the uniform height fell within an ulp of exp(-x) (probability ~1e-16 per wedge test), and a
   * tail value by an ulp (the callers round to integer ns).
   */
  private expSlow(i: number, j: number): number {
    for (;;) {
      if (i === 0) return ER - Math.log(1 - this.nextFloat())
      const x = j * EW[i]
      if (EF[i] + this.nextFloat() * (EF[i - 1] - EF[i]) < Math.exp(-x)) return x
      const u = this.next32()
      i = u & 255
      j = u >>> 8
      if (j < EK[i]) return j * EW[i]
    }
  }

  /**
   * Standard normal: ziggurat (Marsaglia & Tsang 2000, 128 layers). One uint32 per draw in ~98.8% of
   * draws: low 7 bits pick the layer, bit 7 the sign, the high 24 bits the point.
   */
  normalZ(): number {
    const u = this.next32()
    const i = u & 127
    const j = u >>> 8
    if (j < NK[i]) {
      const x = j * NW[i]
      return (u & 128) === 0 ? x : -x
    }
    return this.normalSlow(u)
  }

  /** Rare paths of normalZ: Marsaglia's tail method beyond r, wedge tests (see expSlow on libm). */
  private normalSlow(u: number): number {
    for (;;) {
      const i = u & 127
      const j = u >>> 8
      let x: number
      if (i === 0) {
        let y: number
        do {
          x = -Math.log(1 - this.nextFloat()) / NR
          y = -Math.log(1 - this.nextFloat())
        } while (y + y < x * x)
        x += NR
        return (u & 128) === 0 ? x : -x
      }
      x = j * NW[i]
      if (NF[i] + this.nextFloat() * (NF[i - 1] - NF[i]) < Math.exp(-0.5 * x * x)) return (u & 128) === 0 ? x : -x
      u = this.next32()
      const j2 = u >>> 8
      const i2 = u & 127
      if (j2 < NK[i2]) {
        x = j2 * NW[i2]
        return (u & 128) === 0 ? x : -x
      }
    }
  }

  /** Snapshot / restore (for tests). */
  getState(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3]
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
