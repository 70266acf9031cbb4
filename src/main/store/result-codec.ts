/**
 * Turns a SimResult into what the store keeps: a summary (the result without series and trace), every
 * numeric leaf as a named metric, and the time series packed into compact little-endian blobs.
 * Written defensively against small changes of the result's shape: anything numeric is kept, arrays
 * of named objects are keyed by name (`vms.web.opsPerSec`), plain number arrays become series or are
 * summarised, never dropped silently into nothing.
 */
import type { SimResult } from '../../shared/result'
import { log2HistogramQuantile } from '../../shared/histogram'

export type SeriesEncoding = 'i32' | 'f64'

export interface EncodedSeries {
  vm: number
  vmName: string
  name: string
  intervalNs: number
  count: number
  encoding: SeriesEncoding
  data: Buffer
}

/** The stored summary: everything but `series` and `trace`. */
export function summarize(result: SimResult): Record<string, unknown> {
  const { series: _series, trace: _trace, ...rest } = result as SimResult & { trace?: unknown }
  return rest
}

function isNamedArray(v: unknown[]): v is { name: string }[] {
  return v.length > 0 && v.every((x) => x !== null && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string')
}

/** Every finite numeric leaf as `dotted.path -> value` (number arrays give `.sum`, `.count`). */
export function flattenMetrics(result: SimResult): Record<string, number> {
  const out: Record<string, number> = {}
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') {
      if (Number.isFinite(value)) out[path] = value
      return
    }
    if (typeof value === 'boolean') {
      out[path] = value ? 1 : 0
      return
    }
    if (Array.isArray(value)) {
      if (value.every((x) => typeof x === 'number')) {
        if (value.length > 0) out[`${path}.sum`] = (value as number[]).reduce((a, b) => a + b, 0)
        return
      }
      if (isNamedArray(value)) {
        for (const item of value) walk(item, `${path}.${item.name}`)
        return
      }
      value.forEach((item, i) => walk(item, `${path}.${i}`))
      return
    }
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (k === 'name') continue
        walk(v, path ? `${path}.${k}` : k)
      }
    }
  }
  walk(summarize(result), '')
  // Headline aggregates over VMs, so tables need no per-VM names.
  const vms = Array.isArray(result.vms) ? result.vms : []
  out['total.ops'] = vms.reduce((a, v) => a + (Number.isFinite(v.ops) ? v.ops : 0), 0)
  out['total.opsPerSec'] = vms.reduce((a, v) => a + (Number.isFinite(v.opsPerSec) ? v.opsPerSec : 0), 0)
  const hist = (result as { lockWaitHistogram?: { buckets?: unknown } }).lockWaitHistogram?.buckets
  if (Array.isArray(hist) && hist.every((x) => typeof x === 'number')) {
    // interpolated within the log2 bucket (shared/histogram), not rounded up to the bucket's bound
    out['lockWait.p50Ns'] = log2HistogramQuantile(hist as number[], 0.5)
    out['lockWait.p99Ns'] = log2HistogramQuantile(hist as number[], 0.99)
  }
  return out
}

/**
 * Several quantiles of one log2 histogram, each interpolated within its bucket by the one shared helper
 * (src/shared/histogram.ts) and rounded to whole ns.
 */
export function histogramQuantiles(buckets: readonly number[], qs: readonly number[]): number[] {
  return qs.map((q) => Math.round(log2HistogramQuantile(buckets, q)))
}

export function encodeValues(values: readonly number[]): { encoding: SeriesEncoding; data: Buffer } {
  const ints = values.every((v) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647)
  if (ints) {
    const buf = Buffer.allocUnsafe(values.length * 4)
    for (let i = 0; i < values.length; i++) buf.writeInt32LE(values[i]!, i * 4)
    return { encoding: 'i32', data: buf }
  }
  const buf = Buffer.allocUnsafe(values.length * 8)
  for (let i = 0; i < values.length; i++) buf.writeDoubleLE(values[i]!, i * 8)
  return { encoding: 'f64', data: buf }
}

export function decodeValues(encoding: string, data: Uint8Array, count: number): number[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const out = new Array<number>(count)
  if (encoding === 'i32') for (let i = 0; i < count; i++) out[i] = buf.readInt32LE(i * 4)
  else if (encoding === 'f64') for (let i = 0; i < count; i++) out[i] = buf.readDoubleLE(i * 8)
  else throw new Error(`unknown series encoding ${encoding}`)
  return out
}

/** Packs result.series: the time axis as vm -1 't', then every numeric array of every VM. */
export function encodeSeries(result: SimResult): EncodedSeries[] {
  const s = result.series as SimResult['series'] | undefined
  if (!s || !Array.isArray(s.t)) return []
  const intervalNs = Number.isFinite(s.intervalNs) ? s.intervalNs : 0
  const rows: EncodedSeries[] = [{ vm: -1, vmName: '', name: 't', intervalNs, count: s.t.length, ...encodeValues(s.t) }]
  ;(s.perVm ?? []).forEach((vm, i) => {
    for (const [name, values] of Object.entries(vm as Record<string, unknown>)) {
      if (!Array.isArray(values) || !values.every((x) => typeof x === 'number')) continue
      rows.push({ vm: i, vmName: String(vm.name ?? i), name, intervalNs, count: values.length, ...encodeValues(values as number[]) })
    }
  })
  return rows
}

/** Number of samples in encoded series (for throughput reports). */
export function sampleCount(rows: EncodedSeries[]): number {
  return rows.reduce((a, r) => a + r.count, 0)
}
