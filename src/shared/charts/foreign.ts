/**
 * Exporting charts that were not built by buildFigure (any ECharts option): restyle to the paper style
 * and derive the CSV of the plotted values from the option's series.
 */
import { toCsv, type CsvCell, type EChartsOption } from './common'
import type { FigureStyle } from './style'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v])

/**
 * A copy of `option` in the paper style: white page, the style's font, no animation, no zoom. Series,
 * legend entries and colours stay the option's own (an export draws what the chart shows); the style's
 * palette applies only to an option without one.
 */
export function paperize(option: EChartsOption, style: FigureStyle): EChartsOption {
  const font = { fontFamily: style.fontFamily, fontSize: style.fontSize, color: style.textColor }
  const fix = (v: unknown): unknown => (isObj(v) ? { ...v, textStyle: { ...(isObj(v.textStyle) ? v.textStyle : {}), ...font } } : v)
  const out: Obj = { ...option, backgroundColor: style.background, animation: false, textStyle: font, color: Array.isArray(option.color) ? [...(option.color as unknown[])] : [...style.palette] }
  if (option.legend !== undefined) out.legend = Array.isArray(option.legend) ? option.legend.map((l) => (isObj(l) ? { ...fix(l) as Obj, type: 'plain' } : l)) : isObj(option.legend) ? { ...(fix(option.legend) as Obj), type: 'plain' } : option.legend
  for (const ax of ['xAxis', 'yAxis']) {
    const a = option[ax]
    if (a === undefined) continue
    const style1 = (x: unknown) => (isObj(x) ? { ...x, axisLabel: { ...(isObj(x.axisLabel) ? x.axisLabel : {}), ...font }, nameTextStyle: { ...(isObj(x.nameTextStyle) ? x.nameTextStyle : {}), ...font, fontSize: style.labelSize } } : x)
    out[ax] = Array.isArray(a) ? a.map(style1) : style1(a)
  }
  delete out.dataZoom
  delete out.toolbox
  return out
}

/**
 * Long-format CSV of what an option plots: one row per data point, `series,x,y` (x from the category
 * axis when the data are plain values, else the point's first value). A custom series named like a
 * plotted series with `[category, low, high]` points (confidence-interval whiskers) becomes the
 * `ci_low,ci_high` columns of that series' rows. Series named '__ref' and series without data are skipped;
 * a chart with no category axis and [x, y, ...] points keeps the extra values as v3, v4, ...
 */
export function csvFromOption(option: EChartsOption): string {
  const xAxis = asArray(option.xAxis)[0]
  const yAxis = asArray(option.yAxis)[0]
  const cats = isObj(xAxis) && Array.isArray(xAxis.data) ? (xAxis.data as unknown[]) : isObj(yAxis) && Array.isArray(yAxis.data) ? (yAxis.data as unknown[]) : null
  const cell = (x: unknown): CsvCell => (typeof x === 'number' || typeof x === 'string' ? x : x === null || x === undefined ? null : String(x))
  const catAt = (i: number): CsvCell => {
    const c = cats?.[i]
    return cell(isObj(c) ? c.value : c ?? i)
  }
  const series = asArray(option.series).filter((s): s is Obj => isObj(s) && s.name !== '__ref' && Array.isArray(s.data))
  const plotted = new Set(series.filter((s) => s.type !== 'custom').map((s) => s.name))
  /** Whiskers: series name -> category index -> [low, high]. */
  const ci = new Map<unknown, Map<number, [CsvCell, CsvCell]>>()
  const isWhiskers = (s: Obj) => s.type === 'custom' && cats !== null && plotted.has(s.name) && (s.data as unknown[]).every((d) => Array.isArray(d) && d.length === 3)
  for (const s of series) {
    if (!isWhiskers(s)) continue
    const m = new Map<number, [CsvCell, CsvCell]>()
    for (const d of s.data as number[][]) m.set(Number(d[0]), [cell(d[1]), cell(d[2])])
    ci.set(s.name, m)
  }
  const rows: CsvCell[][] = []
  let width = 2
  for (const s of series) {
    if (isWhiskers(s)) continue
    const name = typeof s.name === 'string' ? s.name : ''
    const whiskers = ci.get(s.name)
    ;(s.data as unknown[]).forEach((d, i) => {
      const v = isObj(d) ? d.value : d
      if (Array.isArray(v)) {
        width = Math.max(width, v.length)
        rows.push([name, ...v.map(cell)])
      } else {
        const w = whiskers?.get(i)
        rows.push([name, catAt(i), cell(v), ...(ci.size ? [w?.[0] ?? null, w?.[1] ?? null] : [])])
      }
    })
  }
  const header = ['series', 'x', 'y', ...(ci.size ? ['ci_low', 'ci_high'] : Array.from({ length: Math.max(0, width - 2) }, (_, k) => `v${k + 3}`))]
  return toCsv(header, rows)
}

/**
 * The series an option draws as a legend shows them: name, type and colour (an explicit itemStyle /
 * lineStyle colour, else ECharts' palette colour, which it assigns per distinct series name in order).
 * Whisker and reference series (custom series sharing a plotted series' name, '__ref') are left out.
 */
export function seriesSignature(option: EChartsOption): { name: string; type: string; color: string | null; dash?: string }[] {
  const palette = Array.isArray(option.color) ? (option.color as unknown[]).map(String) : []
  const all = asArray(option.series).filter((s): s is Obj => isObj(s) && s.name !== '__ref')
  const names: unknown[] = []
  for (const s of all) if (!names.includes(s.name)) names.push(s.name)
  const plotted = new Set(all.filter((s) => s.type !== 'custom').map((s) => s.name))
  const colourOf = (s: Obj): string | null => {
    const pick = (o: unknown) => (isObj(o) && typeof o.color === 'string' ? o.color : null)
    const own = pick(s.itemStyle) ?? pick(s.lineStyle) ?? (typeof s.color === 'string' ? s.color : null)
    if (own) return own
    return palette.length ? palette[names.indexOf(s.name) % palette.length] : null
  }
  const dashOf = (s: Obj) => (isObj(s.lineStyle) && s.lineStyle.type !== undefined ? { dash: JSON.stringify(s.lineStyle.type) } : {})
  return all.filter((s) => !(s.type === 'custom' && plotted.has(s.name))).map((s) => ({ name: String(s.name ?? ''), type: String(s.type ?? ''), color: colourOf(s), ...dashOf(s) }))
}
