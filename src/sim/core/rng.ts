/**
 * Deterministic PRNG streams: xoshiro128** (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c)
 * seeded through SplitMix32 from (seed, stream key). Each entity (vCPU, guest task, pCPU noise) owns one
 * stream keyed by its stable identity, not by construction order, so adding an entity does not
 * reshuffle the others (ns-3 seed/run/stream discipline). No global state; 32-bit integer ops only, so
 * results are bit-identical on every JS engine.
 */

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
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9)
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return r >>> 0
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

  /** Snapshot / restore (for tests). */
  getState(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3]
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
