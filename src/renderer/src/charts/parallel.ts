/** Parallel coordinates of a campaign: one axis per swept parameter / policy / seed and per metric. */
import { baseOption, type ChartOption } from './common'

export interface ParallelAxis {
  name: string
  /** Category axes list their values; value axes are numeric. */
  categories?: string[]
}

export interface ParallelData {
  axes: ParallelAxis[]
  /** One line per run: values in axis order (strings on category axes). */
  rows: { id: string; group: string; values: (number | string | null)[] }[]
}

/** Builds axes from run records: strings/booleans become category axes, numbers value axes. */
export function parallelData(records: readonly { id: string; group: string; fields: Record<string, unknown> }[], order?: readonly string[]): ParallelData {
  const names = order ? [...order] : [...new Set(records.flatMap((r) => Object.keys(r.fields)))]
  const axes: ParallelAxis[] = names.map((name) => {
    const vals = records.map((r) => r.fields[name]).filter((v) => v !== undefined && v !== null)
    const numeric = vals.length > 0 && vals.every((v) => typeof v === 'number')
    return numeric ? { name } : { name, categories: [...new Set(vals.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))))].sort() }
  })
  const rows = records.map((r) => ({
    id: r.id,
    group: r.group,
    values: axes.map((a) => {
      const v = r.fields[a.name]
      if (v === undefined || v === null) return null
      if (a.categories) return typeof v === 'object' ? JSON.stringify(v) : String(v)
      return v as number
    })
  }))
  return { axes, rows }
}

export function parallelOption(data: ParallelData): ChartOption {
  const groups = [...new Set(data.rows.map((r) => r.group))]
  return {
    ...baseOption(),
    tooltip: { trigger: 'item', confine: true },
    grid: undefined,
    parallel: { left: 64, right: 96, top: 64, bottom: 32, parallelAxisDefault: { nameLocation: 'end', nameGap: 16, nameTextStyle: { fontSize: 11 } } },
    parallelAxis: data.axes.map((a, dim) => (a.categories
      ? { dim, name: a.name, type: 'category' as const, data: a.categories }
      : { dim, name: a.name, type: 'value' as const, scale: true })),
    series: groups.map((g) => ({
      type: 'parallel' as const,
      name: g,
      lineStyle: { width: 1.5, opacity: 0.7 },
      data: data.rows.filter((r) => r.group === g).map((r) => ({ name: r.id, value: r.values as (number | string)[] }))
    }))
  }
}
