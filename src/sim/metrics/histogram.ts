/** Log2 histogram: bucket i counts values in [2^i, 2^(i+1)); bucket 0 also holds 0 and 1. */
export class Log2Histogram {
  readonly buckets: Float64Array
  constructor(n = 40) {
    this.buckets = new Float64Array(n)
  }
  add(v: number): void {
    let b = v < 2 ? 0 : Math.floor(Math.log2(v))
    if (b >= this.buckets.length) b = this.buckets.length - 1
    this.buckets[b]++
  }
  snapshot(): Float64Array {
    return this.buckets.slice()
  }
}
