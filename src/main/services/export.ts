/**
 * Tidy exports (Wickham's tidy data: one observation per row, one variable per column), shared by
 * `ecs-lab export` and export:runs.
 *
 *   shape 'metrics': one row per run x metric     -> run columns + parameters + metric, value
 *   shape 'samples': one row per run x VM x sample -> run columns + parameters + vm, t_ns, <series...>
 *
 * Parameter columns: the campaign coordinates (`param.<sweep path>`), `policy.params.<name>`, and the
 * scenario fields that differ between the exported runs (`scenario.<dotted path>`); with allParams
 * every scalar scenario field is a column. Constant columns are omitted by default so a sample export
 * does not repeat fifty identical values on each row.
 */
import type { ExportResult } from '../../shared/ipc/export'
import type { Store } from '../store'
import { decodeValues } from '../store/result-codec'
import { selectRuns, type Selection, type SelectedRun } from './selection'

export type Cell = string | number | boolean | null

export interface ExportOptions {
  format: 'csv' | 'json'
  shape: 'metrics' | 'samples'
  metrics?: string[]
  allParams?: boolean
}

/** Scalar leaves of a JSON value as dotted paths (arrays of scalars as one JSON string). */
export function flattenScalars(value: unknown, prefix: string, out: Record<string, Cell> = {}): Record<string, Cell> {
  if (value === null || typeof value !== 'object') {
    out[prefix] = value as Cell
  } else if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) out[prefix] = JSON.stringify(value)
    else value.forEach((v, i) => flattenScalars(v, `${prefix}.${i}`, out))
  } else {
    for (const [k, v] of Object.entries(value)) flattenScalars(v, prefix ? `${prefix}.${k}` : k, out)
  }
  return out
}

function paramColumns(runs: SelectedRun[], allParams: boolean): { columns: string[]; perRun: Map<string, Record<string, Cell>> } {
  const perRun = new Map<string, Record<string, Cell>>()
  const seenCols: string[] = []
  const colSet = new Set<string>()
  const add = (c: string) => {
    if (!colSet.has(c)) {
      colSet.add(c)
      seenCols.push(c)
    }
  }
  const scenarioCols = new Map<string, Set<string>>()
  for (const r of runs) {
    const cells: Record<string, Cell> = {}
    for (const [k, v] of Object.entries(r.params)) {
      if (k === 'scenario' || k === 'policy' || k === 'seed') continue
      cells[`param.${k}`] = v === null || typeof v !== 'object' ? (v as Cell) : JSON.stringify(v)
      add(`param.${k}`)
    }
    for (const [k, v] of Object.entries(flattenScalars(JSON.parse(r.row.policy_params_json), ''))) {
      if (k === '') continue
      cells[`policy.params.${k}`] = v
      add(`policy.params.${k}`)
    }
    const scen = flattenScalars(JSON.parse(r.row.scenario_json), '')
    for (const [k, v] of Object.entries(scen)) {
      if (k === '' || k.startsWith('policy.') || k === 'seed') continue
      const col = `scenario.${k}`
      cells[col] = v
      let vals = scenarioCols.get(col)
      if (!vals) scenarioCols.set(col, (vals = new Set()))
      vals.add(JSON.stringify(v))
    }
    perRun.set(r.row.id, cells)
  }
  const varying = [...scenarioCols.entries()].filter(([col, vals]) => allParams || vals.size > 1 || runs.some((r) => !(col in perRun.get(r.row.id)!))).map(([c]) => c)
  return { columns: [...seenCols, ...varying], perRun }
}

const RUN_COLUMNS = ['run_id', 'campaign_id', 'scenario', 'policy', 'seed', 'engine_version', 'status'] as const

/** Columns and a row iterator that reads one run at a time, so exports of large campaigns stream. */
export interface TidyTable {
  columns: string[]
  /** Rows of one run per yield. */
  batches(): Generator<Record<string, Cell>[]>
}

export function tidyTable(store: Store, runs: SelectedRun[], opts: Pick<ExportOptions, 'shape' | 'metrics' | 'allParams'>): TidyTable {
  const { columns: pcols, perRun } = paramColumns(runs, opts.allParams ?? false)
  const base = (r: SelectedRun): Record<string, Cell> => {
    const cells: Record<string, Cell> = {
      run_id: r.row.id,
      campaign_id: r.campaignId,
      scenario: String(r.params['scenario'] ?? r.row.label),
      policy: String(r.params['policy'] ?? r.row.policy_id),
      seed: r.row.seed,
      engine_version: r.row.engine_version,
      status: r.row.status
    }
    const p = perRun.get(r.row.id)!
    for (const c of pcols) cells[c] = p[c] ?? null
    return cells
  }
  if (opts.shape === 'metrics') {
    const wanted = opts.metrics ? new Set(opts.metrics) : null
    return {
      columns: [...RUN_COLUMNS, ...pcols, 'metric', 'value'],
      *batches() {
        for (const r of runs) {
          const b = base(r)
          const rows: Record<string, Cell>[] = []
          for (const [metric, value] of Object.entries(store.metrics.forRun(r.row.id))) {
            if (wanted && !wanted.has(metric)) continue
            rows.push({ ...b, metric, value })
          }
          yield rows
        }
      }
    }
  }
  const seriesNames = [...new Set(runs.flatMap((r) => store.series.names(r.row.id)))]
  return {
    columns: [...RUN_COLUMNS, ...pcols, 'vm', 't_ns', ...seriesNames],
    *batches() {
      for (const r of runs) {
        const series = store.series.forRun(r.row.id)
        const tRow = series.find((s) => s.vm === -1 && s.name === 't')
        if (!tRow) continue
        const b = base(r)
        const t = decodeValues(tRow.encoding, tRow.data, tRow.count)
        const byVm = new Map<number, { name: string; values: Record<string, number[]> }>()
        for (const s of series) {
          if (s.vm < 0) continue
          const vm = byVm.get(s.vm) ?? { name: s.vm_name, values: {} }
          vm.values[s.name] = decodeValues(s.encoding, s.data, s.count)
          byVm.set(s.vm, vm)
        }
        const rows: Record<string, Cell>[] = []
        for (const vm of [...byVm.entries()].sort((x, y) => x[0] - y[0]).map(([, v]) => v)) {
          for (let i = 0; i < t.length; i++) {
            const row: Record<string, Cell> = { ...b, vm: vm.name, t_ns: t[i]! }
            for (const [name, values] of Object.entries(vm.values)) row[name] = values[i] ?? null
            rows.push(row)
          }
        }
        yield rows
      }
    }
  }
}

/** All rows at once (small selections, tests). */
export function tidyRows(store: Store, runs: SelectedRun[], opts: ExportOptions): { columns: string[]; rows: Record<string, Cell>[] } {
  const table = tidyTable(store, runs, opts)
  const rows: Record<string, Cell>[] = []
  for (const batch of table.batches()) rows.push(...batch)
  return { columns: table.columns, rows }
}

function csvCell(v: Cell): string {
  if (v === null || v === undefined) return ''
  const s = typeof v === 'string' ? v : String(v)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function toCsv(columns: string[], rows: Record<string, Cell>[]): string {
  const lines = [columns.map(csvCell).join(',')]
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c] ?? null)).join(','))
  return lines.join('\n') + '\n'
}

/**
 * Writes a tidy export chunk by chunk (one run's rows per chunk) to `write`, which may apply
 * back-pressure by returning a promise. CSV: header + rows. JSON: an array of row objects.
 */
export async function writeExport(table: TidyTable, format: 'csv' | 'json', write: (chunk: string) => void | Promise<void>): Promise<number> {
  const { columns } = table
  let n = 0
  if (format === 'csv') await write(columns.map(csvCell).join(',') + '\n')
  else await write('[')
  for (const batch of table.batches()) {
    if (batch.length === 0) continue
    const text =
      format === 'csv'
        ? batch.map((r) => columns.map((c) => csvCell(r[c] ?? null)).join(',')).join('\n') + '\n'
        : batch.map((r, i) => (n + i === 0 ? '\n' : ',\n') + JSON.stringify(Object.fromEntries(columns.map((c) => [c, r[c] ?? null])))).join('')
    n += batch.length
    await write(text)
  }
  if (format === 'json') await write(n === 0 ? ']\n' : '\n]\n')
  return n
}

export function exportFilename(selection: Selection, runs: SelectedRun[], opts: Pick<ExportOptions, 'shape' | 'format'>): string {
  const stem = 'campaignId' in selection ? `campaign-${runs[0]?.campaignId ?? 'runs'}` : 'runs'
  return `${stem}-${opts.shape}.${opts.format}`
}

/** The app's export: the whole file as one string (export:runs). */
export async function exportRuns(store: Store, selection: Selection, opts: ExportOptions): Promise<ExportResult> {
  const runs = selectRuns(store, selection)
  const table = tidyTable(store, runs, opts)
  const parts: string[] = []
  const rows = await writeExport(table, opts.format, (c) => void parts.push(c))
  return {
    filename: exportFilename(selection, runs, opts),
    mimeType: opts.format === 'csv' ? 'text/csv' : 'application/json',
    content: parts.join(''),
    rows,
    columns: table.columns
  }
}
