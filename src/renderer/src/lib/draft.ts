/**
 * The layout designer's editable draft and its validation (pure).
 *
 * A draft holds the fields the designer edits as plain values (so inputs can bind to them) and keeps
 * every other scenario field untouched in `hostRest` / `rest`, so loading a stored layout and saving
 * it again loses nothing. `toScenarioInput` turns it back into a `ScenarioInput`; `validateDraft`
 * checks that with the shared zod schema (the same one the engine uses) plus the cross-field rules
 * the engine applies when it resolves a scenario, and returns the messages keyed by field path
 * (`host.pcpus`, `vms.1.vcpus`, `vms.0.workload.sections.0.kind`) so each is shown next to its field.
 */
import { ScenarioInputSchema, WorkloadSchema, formatZodIssues, type Scenario, type ScenarioInput } from '../../../shared/scenario'

export type Hz = 100 | 250 | 300 | 1000
export const HZ_VALUES: readonly Hz[] = [100, 250, 300, 1000]

export interface DraftHost {
  pcpus: number
  /** null = the engine's default (shared/scenario.ts defaultSockets: sockets of 10 cores from 20 pCPUs, else 1). */
  sockets: number | null
  hz: Hz
  cpuGhz: number
  /** Host scheduler; 'cfs' is written as no field (the engine's default), so CFS layouts stay as before. */
  scheduler: 'cfs' | 'eevdf'
  cfs: { latencyNs: number | null; minGranularityNs: number | null; wakeupGranularityNs: number | null; migrationCostNs: number }
  ple: { gap: number; window: number; grow: number; shrink: number; windowMax: number }
}

export interface DraftVm {
  name: string
  vcpus: number
  /** 'preset': `workloadPreset` names a built-in profile; 'custom': `workloadJson` is a Workload object. */
  workloadMode: 'preset' | 'custom'
  workloadPreset: string
  workloadJson: string
  pinned: boolean
  /** pCPU per vCPU when `pinned`. */
  pinning: number[]
  weight: number
}

export interface LayoutDraft {
  host: DraftHost
  vms: DraftVm[]
  durationNs: number
  seed: number
  /** Host fields the designer does not edit (haltPoll, costs, noise). */
  hostRest: Record<string, unknown>
  /** Scenario fields the designer does not edit (guest, policy, warmupNs, sampleIntervalNs, name). */
  rest: Record<string, unknown>
}

/** Starting point of a custom workload profile: one contended spinlock. */
export const CUSTOM_WORKLOAD_TEMPLATE = {
  title: 'custom',
  tasksPerVcpu: 1,
  computeNs: { type: 'exp', meanNs: 10000 },
  sections: [{ kind: 'spinlock', weight: 1, lock: 'L', instances: 4, holdNs: { type: 'exp', meanNs: 2000 } }]
}

export function blankVm(index: number, workloadPreset: string): DraftVm {
  return {
    name: `vm${index}`,
    vcpus: 4,
    workloadMode: 'preset',
    workloadPreset,
    workloadJson: JSON.stringify(CUSTOM_WORKLOAD_TEMPLATE, null, 2),
    pinned: false,
    pinning: [0, 1, 2, 3],
    weight: 1024
  }
}

/** A small over-committed host to start from: 8 pCPUs, two 8-vCPU VMs (2x), 50 ms simulated. */
export function defaultDraft(workloadPreset: string): LayoutDraft {
  const a = blankVm(0, workloadPreset)
  const b = blankVm(1, workloadPreset)
  a.vcpus = 8
  b.vcpus = 8
  a.pinning = [0, 1, 2, 3, 4, 5, 6, 7]
  b.pinning = [0, 1, 2, 3, 4, 5, 6, 7]
  return {
    host: {
      pcpus: 8, sockets: null, hz: 250, cpuGhz: 2.4, scheduler: 'cfs',
      cfs: { latencyNs: null, minGranularityNs: null, wakeupGranularityNs: null, migrationCostNs: 500_000 },
      ple: { gap: 128, window: 4096, grow: 2, shrink: 0, windowMax: 1073741823 }
    },
    vms: [a, b],
    durationNs: 50_000_000,
    seed: 1,
    hostRest: {},
    rest: {}
  }
}

const num = (v: unknown, d: number): number => (typeof v === 'number' ? v : d)
const numOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null)

/** A draft from a stored (resolved) scenario or any scenario input. */
export function draftFromScenario(s: Scenario | ScenarioInput, fallbackWorkload: string): LayoutDraft {
  const host = (s.host ?? {}) as Record<string, unknown>
  const { pcpus, sockets, hz, cpuGhz, cfs, ple, scheduler, ...hostRest } = host
  const cfsIn = (cfs ?? {}) as Record<string, unknown>
  const pleIn = (ple ?? {}) as Record<string, unknown>
  const { host: _h, vms, durationNs, seed, ...rest } = s as Record<string, unknown>
  const vmList = (Array.isArray(vms) ? vms : []) as Record<string, unknown>[]
  return {
    host: {
      pcpus: num(pcpus, 80),
      sockets: numOrNull(sockets),
      hz: (HZ_VALUES as readonly unknown[]).includes(hz) ? (hz as Hz) : 250,
      cpuGhz: num(cpuGhz, 2.4),
      scheduler: scheduler === 'eevdf' ? 'eevdf' : 'cfs',
      cfs: {
        latencyNs: numOrNull(cfsIn.latencyNs),
        minGranularityNs: numOrNull(cfsIn.minGranularityNs),
        wakeupGranularityNs: numOrNull(cfsIn.wakeupGranularityNs),
        migrationCostNs: num(cfsIn.migrationCostNs, 500_000)
      },
      ple: {
        gap: num(pleIn.gap, 128), window: num(pleIn.window, 4096), grow: num(pleIn.grow, 2),
        shrink: num(pleIn.shrink, 0), windowMax: num(pleIn.windowMax, 1073741823)
      }
    },
    vms: vmList.map((vm, i) => {
      const w = vm.workload
      const custom = typeof w === 'object' && w !== null
      const pinning = Array.isArray(vm.pinning) ? (vm.pinning as number[]).slice() : []
      const vcpus = num(vm.vcpus, 1)
      return {
        name: typeof vm.name === 'string' ? vm.name : `vm${i}`,
        vcpus,
        workloadMode: custom ? 'custom' : 'preset',
        workloadPreset: typeof w === 'string' ? w : fallbackWorkload,
        workloadJson: JSON.stringify(custom ? w : CUSTOM_WORKLOAD_TEMPLATE, null, 2),
        pinned: Array.isArray(vm.pinning),
        pinning: pinning.length ? pinning : Array.from({ length: vcpus }, (_, k) => k),
        weight: num(vm.weight, 1024)
      } satisfies DraftVm
    }),
    durationNs: num(durationNs, 1_000_000_000),
    seed: num(seed, 1),
    hostRest,
    rest
  }
}

export interface DraftConversion {
  input: Record<string, unknown>
  /** Problems found before the schema runs (custom workload JSON that does not parse). */
  issues: { path: string; message: string }[]
}

/** The scenario input a draft stands for (what is saved and what the engine resolves). */
export function toScenarioInput(d: LayoutDraft): DraftConversion {
  const issues: { path: string; message: string }[] = []
  const cfs: Record<string, number> = { migrationCostNs: d.host.cfs.migrationCostNs }
  if (d.host.cfs.latencyNs !== null) cfs.latencyNs = d.host.cfs.latencyNs
  if (d.host.cfs.minGranularityNs !== null) cfs.minGranularityNs = d.host.cfs.minGranularityNs
  if (d.host.cfs.wakeupGranularityNs !== null) cfs.wakeupGranularityNs = d.host.cfs.wakeupGranularityNs
  const host: Record<string, unknown> = { ...d.host, ...d.hostRest, cfs, ple: { ...d.host.ple } }
  if (d.host.sockets === null) delete host.sockets
  if (d.host.scheduler !== 'eevdf') delete host.scheduler
  const vms = d.vms.map((vm, i) => {
    let workload: unknown = vm.workloadPreset
    if (vm.workloadMode === 'custom') {
      try {
        workload = JSON.parse(vm.workloadJson)
      } catch (err) {
        issues.push({ path: `vms.${i}.workload`, message: `not valid JSON: ${(err as Error).message}` })
        workload = {}
      }
    }
    const out: Record<string, unknown> = { name: vm.name, vcpus: vm.vcpus, workload, weight: vm.weight }
    if (vm.pinned) out.pinning = vm.pinning.slice(0, Math.max(0, vm.vcpus))
    return out
  })
  return { input: { ...d.rest, host, vms, durationNs: d.durationNs, seed: d.seed }, issues }
}

/** Validation messages by field path; '' holds messages about the whole scenario. */
export type DraftIssues = Record<string, string[]>

function add(out: DraftIssues, path: string, message: string): void {
  ;(out[path] ??= []).push(message)
}

/**
 * Validates a draft: JSON of custom workloads, the shared ScenarioInputSchema, and the cross-field
 * rules of the engine's resolveScenario (sockets divide pCPUs, one pin per vCPU inside the host,
 * unique VM names, known workload presets).
 */
export function validateDraft(d: LayoutDraft, workloadPresets?: readonly string[]): DraftIssues {
  const out: DraftIssues = {}
  const { input, issues } = toScenarioInput(d)
  for (const i of issues) add(out, i.path, i.message)
  const parsed = ScenarioInputSchema.safeParse(input)
  if (!parsed.success) {
    for (const i of formatZodIssues(parsed.error)) {
      // A union (preset id | workload object) reports on the union itself: re-check the object branch
      // to point at the exact field of a custom profile.
      if (/^vms\.\d+\.workload$/.test(i.path)) {
        const vmIndex = Number(i.path.split('.')[1])
        const vm = d.vms[vmIndex]
        if (vm?.workloadMode === 'custom' && !issues.some((x) => x.path === i.path)) {
          const w = WorkloadSchema.safeParse((input.vms as Record<string, unknown>[])[vmIndex].workload)
          if (!w.success) {
            for (const wi of formatZodIssues(w.error, i.path)) add(out, wi.path, wi.message)
            continue
          }
        }
        if (vm?.workloadMode === 'custom' && issues.some((x) => x.path === i.path)) continue
      }
      // a pinning entry that is not a number: the cross-field check below names it by position
      if (/^vms\.\d+\.pinning\.\d+$/.test(i.path) && /NaN|expected number/i.test(i.message)) continue
      add(out, i.path, i.message)
    }
  }
  const p = d.host.pcpus
  if (d.host.sockets !== null && Number.isInteger(p) && d.host.sockets > 0 && p % d.host.sockets !== 0) {
    add(out, 'host.sockets', `must divide the pCPU count (${p})`)
  }
  const seen = new Map<string, number>()
  d.vms.forEach((vm, i) => {
    const prev = seen.get(vm.name)
    if (prev !== undefined) add(out, `vms.${i}.name`, `duplicate VM name (also VM ${prev + 1})`)
    else seen.set(vm.name, i)
    if (vm.workloadMode === 'preset' && workloadPresets && workloadPresets.length && !workloadPresets.includes(vm.workloadPreset)) {
      add(out, `vms.${i}.workload`, `unknown workload preset "${vm.workloadPreset}"`)
    }
    if (vm.pinned) {
      const pins = vm.pinning.slice(0, Math.max(0, vm.vcpus))
      if (pins.length < vm.vcpus) add(out, `vms.${i}.pinning`, `give one pCPU per vCPU (${vm.vcpus} needed, ${pins.length} given)`)
      // entries that are not whole numbers (typed text) are named by position, never printed as NaN
      const notNumbers = pins.flatMap((x, k) => (Number.isInteger(x) ? [] : [k + 1]))
      if (notNumbers.length) add(out, `vms.${i}.pinning`, `entr${notNumbers.length === 1 ? 'y' : 'ies'} ${notNumbers.join(', ')} ${notNumbers.length === 1 ? 'is' : 'are'} not a pCPU number: give whole numbers 0..${Math.max(0, p - 1)}, separated by commas`)
      const bad = pins.filter((x) => Number.isInteger(x) && (x < 0 || x >= p))
      if (bad.length) add(out, `vms.${i}.pinning`, `pCPU ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} outside the host (0..${p - 1})`)
    }
  })
  return out
}

export function issueCount(issues: DraftIssues): number {
  return Object.values(issues).reduce((n, a) => n + a.length, 0)
}

/** Messages for one field: its own path and (with `deep`) any path below it. */
export function issuesAt(issues: DraftIssues, path: string, deep = false): string[] {
  const own = issues[path] ?? []
  if (!deep) return own
  const prefix = path + '.'
  const below = Object.entries(issues).filter(([k]) => k.startsWith(prefix)).flatMap(([k, v]) => v.map((m) => `${k.slice(prefix.length)}: ${m}`))
  return [...own, ...below]
}

/** Parses a server-side ScenarioError message (`path: message; path: message`) into issues by path. */
export function issuesFromMessage(message: string): DraftIssues {
  const out: DraftIssues = {}
  for (const part of message.split('; ')) {
    const m = /^([A-Za-z0-9_.]+|\(root\)): (.*)$/.exec(part)
    if (m) add(out, m[1] === '(root)' ? '' : m[1], m[2])
    else add(out, '', part)
  }
  return out
}

/** `vms.0.name` etc. for fields the form shows; anything else goes into the summary list. */
export function isFormPath(path: string): boolean {
  return /^(host\.(pcpus|sockets|hz|cpuGhz|scheduler|cfs\.\w+|ple\.\w+)|vms(\.\d+\.(name|vcpus|workload|pinning|weight)(\..*)?)?|durationNs|seed)$/.test(path)
}
