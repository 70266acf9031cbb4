/**
 * Pieces every builder shares: the CSV writer, the confidence interval, number formatting and the
 * no-junk axis / legend / tooltip blocks. ECharts options here are plain objects (the app passes them to
 * vue-echarts, the CLI to echarts' server-side SVG renderer).
 */
import type { FigureStyle } from './style'
import { statOf } from '../stats'

/** What every builder returns: the ECharts option and the CSV of exactly the data it plots. */
export interface Figure {
  option: EChartsOption
  csv: string
}

/** A plain ECharts option object (typed loosely: src/shared cannot import ECharts' types). */
export type EChartsOption = Record<string, unknown>

export type CsvCell = string | number | null | undefined

function csvCell(v: CsvCell): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return ''
    return String(v)
  }
  return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

/** RFC 4180 CSV: CRLF line ends, quotes only where needed, empty cells for missing values. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

/** Parses the CSV written by toCsv (quoted cells included). Used by tests and imports. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += c
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell)
    rows.push(row)
  }
  return rows
}

export interface MeanCi {
  mean: number
  /** 95 % confidence interval of the mean (Student t); equal to the mean when n < 2. */
  low: number
  high: number
  n: number
}

/** Mean and 95 % CI (src/shared/stats.ts statOf, the same numbers as the CLI and the report). */
export function meanCi(values: readonly number[]): MeanCi {
  const s = statOf(values)
  return { mean: s.mean, low: s.low, high: s.high, n: s.n }
}

/** Compact tick labels: 1.2k, 3.4M; small numbers keep up to 3 significant digits. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return ''
  const a = Math.abs(v)
  if (a >= 1e9) return `${trim(v / 1e9)}G`
  if (a >= 1e6) return `${trim(v / 1e6)}M`
  if (a >= 1e4) return `${trim(v / 1e3)}k`
  if (a === 0) return '0'
  if (a >= 1000) return String(Math.round(v))
  return trim(v)
}

function trim(v: number): string {
  return String(Number(v.toPrecision(3)))
}

/** Durations for log2 buckets and time axes: 512 ns, 1 µs, 2.05 ms, 1.5 s. */
export function formatNs(ns: number): string {
  const a = Math.abs(ns)
  if (a >= 1e9) return `${trim(ns / 1e9)} s`
  if (a >= 1e6) return `${trim(ns / 1e6)} ms`
  if (a >= 1e3) return `${trim(ns / 1e3)} µs`
  return `${trim(ns)} ns`
}

export function textStyle(style: FigureStyle, size = style.fontSize): Record<string, unknown> {
  return { fontFamily: style.fontFamily, fontSize: size, color: style.textColor }
}

/** Base of every option: palette, font, background, no animation (exports render one frame). */
export function baseOption(style: FigureStyle, title?: string): EChartsOption {
  const o: EChartsOption = {
    backgroundColor: style.background,
    color: [...style.palette],
    textStyle: textStyle(style),
    animation: false,
    aria: { enabled: true, decal: { show: false } }
  }
  if (title && style.showTitle) {
    o.title = { text: title, left: 'center', top: 0, textStyle: { ...textStyle(style, style.titleSize), fontWeight: 'normal' } }
  }
  return o
}

/** Margins in points: enough for tick labels and axis names at the style's font size. */
export function grid(style: FigureStyle, opts: { legend?: boolean; title?: boolean; bottomExtra?: number; leftExtra?: number } = {}): Record<string, unknown> {
  const top = (opts.title && style.showTitle ? style.titleSize * 2 : 0) + (opts.legend ? style.labelSize * 2.4 : style.labelSize)
  return {
    left: style.fontSize * 4.6 + style.labelSize * 1.6 + (opts.leftExtra ?? 0),
    right: style.fontSize * 1.5,
    top,
    bottom: style.fontSize * 2.2 + style.labelSize * 1.8 + (opts.bottomExtra ?? 0),
    outerBoundsMode: 'none'
  }
}

export function legend(style: FigureStyle, data?: string[]): Record<string, unknown> {
  return {
    show: true,
    top: style.showTitle ? style.titleSize * 1.8 : 0,
    left: 'center',
    itemWidth: style.labelSize * 1.4,
    itemHeight: style.labelSize * 0.8,
    itemGap: style.labelSize,
    textStyle: textStyle(style, style.labelSize),
    ...(data ? { data } : {})
  }
}

/** A thin, junk-free axis: axis line and outward ticks only, no split lines or areas. */
export function axis(style: FigureStyle, o: Record<string, unknown> & { name?: string; nameGap?: number }): Record<string, unknown> {
  const { name, nameGap, ...rest } = o
  return {
    axisLine: { show: true, onZero: false, lineStyle: { color: style.axisColor, width: style.axisWidth } },
    axisTick: { show: true, inside: false, length: style.fontSize * 0.4, lineStyle: { color: style.axisColor, width: style.axisWidth } },
    axisLabel: { ...textStyle(style), margin: style.fontSize * 0.5, hideOverlap: true },
    splitLine: { show: false },
    splitArea: { show: false },
    ...(name !== undefined ? { name, nameLocation: 'middle', nameGap: nameGap ?? style.fontSize * 2.4, nameTextStyle: textStyle(style, style.labelSize) } : {}),
    ...rest
  }
}

export function tooltip(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { trigger: 'item', confine: true, ...extra }
}

export function colorAt(style: FigureStyle, i: number): string {
  return style.palette[i % style.palette.length]
}

/**
 * Bottom of a log10 bar axis: the power of ten at or below the smallest positive value (1 when there is
 * none). ECharts draws log-axis bars from 1 unless `startValue` says otherwise, so values below 1 would
 * hang downwards from the 1 line; with `min` and `startValue` set to this, every bar grows upwards.
 */
export function logAxisBase(values: readonly (number | null | undefined)[]): number {
  let lo = Infinity
  for (const v of values) if (typeof v === 'number' && v > 0 && v < lo) lo = v
  return Number.isFinite(lo) ? 10 ** Math.floor(Math.log10(lo)) : 1
}
