/** Number and time formatting shared by pages and chart option builders (pure). */

/** `1234567` -> `1,234,567`; `NaN`/null -> `–`. */
export function formatInt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–'
  return Math.round(n).toLocaleString('en-US')
}

/** Three significant digits with an SI suffix: 1234 -> `1.23k`, 2.5e6 -> `2.50M`. */
export function formatSi(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–'
  const a = Math.abs(n)
  if (a >= 1e9) return (n / 1e9).toPrecision(3) + 'G'
  if (a >= 1e6) return (n / 1e6).toPrecision(3) + 'M'
  if (a >= 1e3) return (n / 1e3).toPrecision(3) + 'k'
  if (a === 0) return '0'
  return n.toPrecision(3)
}

/** A duration in ns with the largest sensible unit: 1500 -> `1.5 µs`, 2.4e7 -> `24 ms`. */
export function formatNs(ns: number | null | undefined): string {
  if (ns === null || ns === undefined || !Number.isFinite(ns)) return '–'
  const a = Math.abs(ns)
  const trim = (x: number) => String(Number(x.toPrecision(3)))
  if (a >= 1e9) return trim(ns / 1e9) + ' s'
  if (a >= 1e6) return trim(ns / 1e6) + ' ms'
  if (a >= 1e3) return trim(ns / 1e3) + ' µs'
  return trim(ns) + ' ns'
}

/** Wall-clock milliseconds as `4 s`, `2 min 5 s`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–'
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${s % 60} s`
  return `${Math.floor(m / 60)} h ${m % 60} min`
}

/** A Unix-ms timestamp as local `YYYY-MM-DD HH:MM`. */
export function formatDate(ms: number | null | undefined): string {
  if (!ms) return '–'
  const d = new Date(ms)
  const p = (x: number) => String(x).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

/** A ratio as `2.41×`. */
export function formatRatio(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '–'
  return `${r.toFixed(2)}×`
}

/** Log2 histogram bucket i covers [2^i, 2^(i+1)) ns: its lower edge as a label (`1 ns`, `1.02 µs`). */
export function log2BucketLabel(i: number): string {
  return i === 0 ? '0–2 ns' : '≥' + formatNs(2 ** i)
}
