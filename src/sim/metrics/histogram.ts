/** Log2 histogram: bucket i counts values in [2^i, 2^(i+1)); bucket 0 also holds 0 and 1. */
export class Log2Histogram {
  readonly buckets: Float64Array
  constructor(n = 40) {
    this.buckets = new Float64Array(n)
  }
  add(v: number): void {
    // floor(log2 v): for an integer 2 <= v < 2^31 that is 31 - clz32(v), equal to Math.floor(Math.log2(v))
    // on that whole range (checked exhaustively) without the libm call; other values take Math.log2
    let b = v < 2 ? 0 : v < 2147483648 && (v | 0) === v ? 31 - Math.clz32(v) : Math.floor(Math.log2(v))
    if (b >= this.buckets.length) b = this.buckets.length - 1
    this.buckets[b]++
  }
  snapshot(): Float64Array {
    return this.buckets.slice()
  }
}
