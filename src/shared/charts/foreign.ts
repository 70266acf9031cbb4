/**
 * Exporting charts that were not built by buildFigure (any ECharts option): restyle to the paper style
 * and derive the CSV of the plotted values from the option's series.
 */
import { toCsv, type CsvCell, type EChartsOption } from './common'
import type { FigureStyle } from './style'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v])

/** A copy of `option` in the paper style: white page, the style's font and palette, no animation. */
export function paperize(option: EChartsOption, style: FigureStyle): EChartsOption {
  const font = { fontFamily: style.fontFamily, fontSize: style.fontSize, color: style.textColor }
  const fix = (v: unknown): unknown => (isObj(v) ? { ...v, textStyle: { ...(isObj(v.textStyle) ? v.textStyle : {}), ...font } } : v)
  const out: Obj = { ...option, backgroundColor: style.background, animation: false, textStyle: font, color: [...style.palette] }
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
 * axis when the data are plain values, else the point's first value). Series named '__ref' and series
 * without data are skipped.
 */
export function csvFromOption(option: EChartsOption): string {
  const xAxis = asArray(option.xAxis)[0]
  const yAxis = asArray(option.yAxis)[0]
  const cats = isObj(xAxis) && Array.isArray(xAxis.data) ? (xAxis.data as unknown[]) : isObj(yAxis) && Array.isArray(yAxis.data) ? (yAxis.data as unknown[]) : null
  const rows: CsvCell[][] = []
  let width = 2
  for (const s of asArray(option.series)) {
    if (!isObj(s) || s.name === '__ref' || !Array.isArray(s.data)) continue
    const name = typeof s.name === 'string' ? s.name : ''
    s.data.forEach((d, i) => {
      const v = isObj(d) ? d.value : d
      const cell = (x: unknown): CsvCell => (typeof x === 'number' || typeof x === 'string' ? x : x === null || x === undefined ? null : String(x))
      if (Array.isArray(v)) {
        width = Math.max(width, v.length)
        rows.push([name, ...v.map(cell)])
      } else {
        const c = cats?.[i]
        rows.push([name, cell(isObj(c) ? c.value : c ?? i), cell(v)])
      }
    })
  }
  const header = ['series', 'x', 'y', ...Array.from({ length: Math.max(0, width - 2) }, (_, k) => `v${k + 3}`)]
  return toCsv(header, rows)
}
