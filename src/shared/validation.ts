/**
 * Validation against real guests (issue 11): the formats shared by `ecs-lab validate`, the app's
 * Validation page and the data set under validation/data/<id>/ (format agreed in the kit's README).
 * Pure zod + types, like scenario.ts.
 *
 *  - `MeasuredRow`: one row of points.csv (one VM, one repetition, one configuration).
 *  - `SplitRow`: one row of split.csv (which configurations are reference / calibration / validation).
 *  - `ValidationReport`: what `ecs-lab validate --json` prints and the Validation page shows.
 *
 * Normalised throughput (issue 11): (total ops/s of a configuration / ops/s of the reference
 * configuration of the same benchmark, 1 VM x host-cores vCPUs) / (the same ratio for the `cpu`
 * control). `ci95` is the half-width of the 95 % Student-t interval over repetitions (measured) or
 * seeds (simulated); 0 when there is one value.
 */
import { z } from 'zod'

const num = (min: number, max: number) => z.coerce.number().min(min).max(max)
const intc = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
/** An empty CSV cell is "not available" (e.g. TCG guests have no steal time). */
const optionalNum = (min: number, max: number) => z.preprocess((v) => (v === '' || v === undefined || v === null ? undefined : v), num(min, max).optional())

export const POINT_COLUMNS = [
  'benchmark', 'mode', 'pcpus', 'vms', 'vcpus_per_vm', 'vm', 'rep', 'run_s', 'ops', 'ops_per_s',
  'host_nonvol_csw', 'host_vol_csw', 'guest_steal_pct', 'other_load_pct'
] as const

export const MeasuredRowSchema = z.object({
  benchmark: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a benchmark name: lower-case letters, digits, - or _'),
  mode: z.enum(['vm', 'native']),
  pcpus: intc(1, 4096),
  vms: intc(1, 64),
  vcpus_per_vm: intc(1, 1024),
  vm: intc(0, 63),
  rep: intc(0, 10_000),
  run_s: num(0.001, 1e6),
  ops: num(0, 1e15),
  ops_per_s: num(0, 1e15),
  host_nonvol_csw: num(0, 1e15),
  host_vol_csw: num(0, 1e15),
  guest_steal_pct: optionalNum(0, 100),
  other_load_pct: optionalNum(0, 100)
}).strict()
export type MeasuredRow = z.output<typeof MeasuredRowSchema>

export const SETS = ['reference', 'calibration', 'validation'] as const
export type PointSet = (typeof SETS)[number]

export const SplitRowSchema = z.object({
  benchmark: MeasuredRowSchema.shape.benchmark,
  pcpus: intc(1, 4096),
  vms: intc(1, 64),
  vcpus_per_vm: intc(1, 1024),
  set: z.enum(SETS)
}).strict()
export type SplitRow = z.output<typeof SplitRowSchema>

/** metadata.json: the fields the comparison needs are checked; everything else is kept as written. */
export const DatasetMetadataSchema = z.object({
  id: z.string().min(1).max(200),
  date: z.string().max(100).optional(),
  host: z.object({
    kernel: z.string().max(200).optional(),
    scheduler: z.string().max(500).meta({ description: "'eevdf' or 'cfs' (possibly followed by how it was determined)" }),
    hz: z.coerce.number().int().min(1).max(10_000).optional(),
    cores: z.coerce.number().int().min(1).max(4096),
    cpuModel: z.string().max(300).optional()
  }).loose(),
  qemu: z.object({ version: z.string().max(200).optional(), accel: z.string().max(100).optional() }).loose().optional(),
  guest: z.object({ kernel: z.string().max(200).optional(), config: z.record(z.string(), z.unknown()).optional(), pvFeatures: z.string().max(200).optional() }).loose().optional(),
  runSeconds: z.coerce.number().min(0.001).max(1e6).optional(),
  repetitions: z.coerce.number().int().min(1).max(10_000).optional()
}).loose()
export type DatasetMetadata = z.output<typeof DatasetMetadataSchema>

export const MeanCi95Schema = z.object({
  normalised: z.number().nullable(),
  ci95: z.number().nullable(),
  /** Host preemptions (involuntary context switches of the vCPU threads) per vCPU-second. */
  preemptionsPerVcpuSec: z.number().nullable().optional(),
  /** Blocks of the vCPU threads in the host per benchmark op (measured: voluntary context switches; simulated: vcpu.haltBlocks). Engine 0.9.0 on. */
  blocksPerOp: z.number().nullable().optional()
})

export const ValidationPointSchema = z.object({
  benchmark: z.string(),
  pcpus: z.number().int(),
  vms: z.number().int(),
  vcpusPerVm: z.number().int(),
  set: z.enum(SETS),
  measured: MeanCi95Schema,
  simulated: MeanCi95Schema
})
export type ValidationPoint = z.infer<typeof ValidationPointSchema>

export const ErrorSummarySchema = z.object({
  n: z.number().int(),
  mae: z.number().nullable(),
  maxAbsErr: z.number().nullable(),
  spearman: z.number().nullable().optional()
})
export type ErrorSummary = z.infer<typeof ErrorSummarySchema>

export const ValidationReportSchema = z.object({
  engineVersion: z.string(),
  dataset: z.object({
    id: z.string(),
    dir: z.string().optional(),
    hostScheduler: z.string(),
    hostHz: z.number().int(),
    hostCores: z.number().int(),
    accel: z.string().optional(),
    guestKernel: z.string().optional(),
    /** Scheduler the simulated host profile used (the model's `host.scheduler`, or 'cfs' before it existed). */
    simulatedScheduler: z.string(),
    quick: z.boolean(),
    seeds: z.number().int(),
    simulatedMs: z.number(),
    /** Free parameters fitted on calibration points, per benchmark. */
    fitted: z.record(z.string(), z.record(z.string(), z.number())),
    /** Host-profile values derived from the data set (not fitted), with how (engine 0.8.0 on). */
    hostProfile: z.object({
      idleExitNs: z.number(), idleExitNote: z.string(), emulatorBurstNs: z.number().optional(),
      /** host.costs.haltExitNs fitted on the calibration points, and the calibration MAE of every value tried (engine 0.8.0 on). */
      haltExitNs: z.number().optional(),
      haltExitFit: z.array(z.object({ haltExitNs: z.number(), calibrationMae: z.number().nullable() })).optional()
    }).optional()
  }),
  points: z.array(ValidationPointSchema),
  summary: z.object({
    calibration: ErrorSummarySchema,
    validation: ErrorSummarySchema
  }),
  /** How the stored report was made (validation.json only; not in --json). */
  generated: z.object({ command: z.string(), wallMs: z.number(), machine: z.string() }).optional()
})
export type ValidationReport = z.infer<typeof ValidationReportSchema>
