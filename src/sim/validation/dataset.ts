/**
 * The measured data set (validation/data/<id>/): parsing and checking of points.csv, split.csv and
 * metadata.json from their text (the caller reads the files; this module stays pure). Every bad cell is
 * reported with its file, line and column and the allowed range (zod), and nothing is guessed.
 */
import { z } from 'zod'
import { parseCsv } from '../../shared/charts/common'
import { formatZodIssues } from '../../shared/scenario'
import {
  DatasetMetadataSchema, MeasuredRowSchema, POINT_COLUMNS, SplitRowSchema,
  type DatasetMetadata, type MeasuredRow, type PointSet, type SplitRow
} from '../../shared/validation'

export class DatasetError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DatasetError'
  }
}

/** A configuration: one benchmark on one VM layout. */
export interface ConfigKey { benchmark: string; pcpus: number; vms: number; vcpusPerVm: number }
export const configId = (c: ConfigKey): string => `${c.benchmark}/${c.pcpus}p/${c.vms}x${c.vcpusPerVm}`

function rowsOf<T extends z.ZodType>(file: string, text: string, schema: T, columns: readonly string[]): z.output<T>[] {
  const table = parseCsv(text).filter((r) => !(r.length === 1 && r[0].trim() === ''))
  if (table.length === 0) throw new DatasetError(`${file}: empty file (expected the header ${columns.join(',')})`)
  const header = table[0].map((h) => h.trim())
  const missing = columns.filter((c) => !header.includes(c))
  if (missing.length) throw new DatasetError(`${file}: header lacks column(s) ${missing.join(', ')} (expected ${columns.join(',')})`)
  const out: z.output<T>[] = []
  for (let i = 1; i < table.length; i++) {
    const cells = table[i]
    if (cells.length !== header.length) throw new DatasetError(`${file} line ${i + 1}: ${cells.length} cells, header has ${header.length}`)
    const obj: Record<string, string> = {}
    header.forEach((h, k) => { if (columns.includes(h)) obj[h] = cells[k].trim() })
    const r = schema.safeParse(obj)
    if (!r.success) throw new DatasetError(`${file} line ${i + 1}: ${formatZodIssues(r.error).map((e) => `${e.path}: ${e.message}`).join('; ')}`)
    out.push(r.data)
  }
  return out
}

export function parsePointsCsv(text: string, file = 'points.csv'): MeasuredRow[] {
  const rows = rowsOf(file, text, MeasuredRowSchema, POINT_COLUMNS)
  const seen = new Set<string>()
  for (const r of rows) {
    const k = `${r.mode}/${r.benchmark}/${r.pcpus}/${r.vms}/${r.vcpus_per_vm}/${r.vm}/${r.rep}`
    if (seen.has(k)) throw new DatasetError(`${file}: duplicate row for ${r.mode} ${r.benchmark} pcpus=${r.pcpus} vms=${r.vms} vcpus_per_vm=${r.vcpus_per_vm} vm=${r.vm} rep=${r.rep}`)
    seen.add(k)
    if (r.vm >= r.vms) throw new DatasetError(`${file}: vm=${r.vm} out of range for vms=${r.vms} (allowed: 0..${r.vms - 1})`)
  }
  return rows
}

export const SPLIT_COLUMNS = ['benchmark', 'pcpus', 'vms', 'vcpus_per_vm', 'set'] as const

export function parseSplitCsv(text: string, file = 'split.csv'): SplitRow[] {
  const rows = rowsOf(file, text, SplitRowSchema, SPLIT_COLUMNS)
  const seen = new Set<string>()
  for (const r of rows) {
    const k = configId({ benchmark: r.benchmark, pcpus: r.pcpus, vms: r.vms, vcpusPerVm: r.vcpus_per_vm })
    if (seen.has(k)) throw new DatasetError(`${file}: ${k} listed twice`)
    seen.add(k)
  }
  return rows
}

export function parseMetadata(text: string, file = 'metadata.json'): DatasetMetadata {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new DatasetError(`${file}: not JSON (${(e as Error).message})`)
  }
  const r = DatasetMetadataSchema.safeParse(json)
  if (!r.success) throw new DatasetError(`${file}: ${formatZodIssues(r.error).map((e) => `${e.path}: ${e.message}`).join('; ')}`)
  return r.data
}

/** Host scheduler named by the metadata: 'eevdf' or 'cfs' (the field may carry how it was determined). */
export function metadataScheduler(m: DatasetMetadata): 'eevdf' | 'cfs' {
  const s = m.host.scheduler.toLowerCase()
  if (s.startsWith('eevdf')) return 'eevdf'
  if (s.startsWith('cfs')) return 'cfs'
  throw new DatasetError(`metadata.json: host.scheduler: expected 'eevdf' or 'cfs', got ${JSON.stringify(m.host.scheduler)}`)
}

/** The distinct VM configurations (mode vm) in the data, sorted by benchmark, VMs, vCPUs. */
export function configsOf(rows: readonly MeasuredRow[]): ConfigKey[] {
  const m = new Map<string, ConfigKey>()
  for (const r of rows) {
    if (r.mode !== 'vm') continue
    const c = { benchmark: r.benchmark, pcpus: r.pcpus, vms: r.vms, vcpusPerVm: r.vcpus_per_vm }
    m.set(configId(c), c)
  }
  return [...m.values()].sort((a, b) => a.benchmark.localeCompare(b.benchmark) || a.pcpus - b.pcpus || a.vms - b.vms || a.vcpusPerVm - b.vcpusPerVm)
}

/** The control benchmark every ratio is divided by (CPU-bound user-space loop). */
export const CONTROL_BENCHMARK = 'cpu'

/**
 * The split (this project's choice, written to split.csv): the reference configuration is 1 VM with
 * as many vCPUs as host cores; calibration (the only points any parameter may be fitted on) is 1 VM
 * with twice as many; everything else, including every multi-VM layout, is held out for validation.
 * The control benchmark is the denominator of every normalised value, so all its rows are `reference`.
 */
export function defaultSet(c: ConfigKey): PointSet {
  if (c.benchmark === CONTROL_BENCHMARK) return 'reference'
  if (c.vms === 1 && c.vcpusPerVm === c.pcpus) return 'reference'
  if (c.vms === 1 && c.vcpusPerVm === 2 * c.pcpus) return 'calibration'
  return 'validation'
}

export function defaultSplit(configs: readonly ConfigKey[]): SplitRow[] {
  return configs.map((c) => ({ benchmark: c.benchmark, pcpus: c.pcpus, vms: c.vms, vcpus_per_vm: c.vcpusPerVm, set: defaultSet(c) }))
}

export function splitCsv(rows: readonly SplitRow[]): string {
  return [SPLIT_COLUMNS.join(','), ...rows.map((r) => [r.benchmark, r.pcpus, r.vms, r.vcpus_per_vm, r.set].join(','))].join('\n') + '\n'
}

/**
 * Set of each configuration from split.csv; a configuration it does not list is an error (a point
 * silently left out of the held-out set would flatter the model), and a split that marks the
 * reference layout as anything but `reference` is refused.
 */
export function setsFromSplit(configs: readonly ConfigKey[], split: readonly SplitRow[]): Map<string, PointSet> {
  const bySplit = new Map(split.map((r) => [configId({ benchmark: r.benchmark, pcpus: r.pcpus, vms: r.vms, vcpusPerVm: r.vcpus_per_vm }), r.set]))
  const out = new Map<string, PointSet>()
  for (const c of configs) {
    const id = configId(c)
    const s = bySplit.get(id)
    if (!s) throw new DatasetError(`split.csv: no row for ${c.benchmark} pcpus=${c.pcpus} vms=${c.vms} vcpus_per_vm=${c.vcpusPerVm}`)
    const isRef = c.vms === 1 && c.vcpusPerVm === c.pcpus
    if (isRef && s !== 'reference') throw new DatasetError(`split.csv: ${id} is the reference layout (1 VM x host cores) and must be set=reference, got ${s}`)
    out.set(id, s)
  }
  return out
}
