/**
 * Timeline screen state: the source (a stored run, or a preset + policy + seed), the window, the
 * captured trace (trace:capture) and its timeline model, the view, and the Perfetto exports.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api, errorMessage } from '../api'
import type { TraceCapture, TraceSource } from '../../../shared/ipc/trace'
import type { RunSummary } from '../../../shared/ipc/runs'
import type { LayoutSummary } from '../../../shared/ipc/layouts'
import { MAX_TRACE_WINDOW_NS } from '../../../shared/ipc/trace'
import { buildTimelineModel, type TimelineModel, type TraceMeta } from '../../../shared/trace-model'
import { toFtraceText, toTraceEventJson } from '../../../shared/trace-export'
import { fileStem, saveBlob } from '../composables/useChartExport'
import type { TimelineView } from '../composables/useTimelineOption'

export type SourceKind = 'run' | 'preset' | 'layout'

export const DEFAULT_WINDOW_NS = 1_000_000

export const useTimelineStore = defineStore('timeline', () => {
  const sourceKind = ref<SourceKind>('preset')
  const runId = ref('')
  const layoutId = ref('')
  const layouts = ref<LayoutSummary[]>([])
  const preset = ref('overcommit-2x')
  const policy = ref('kvm')
  const seed = ref(1)
  /** Window start and width in ms (what the form edits). null start = the end of warm-up. */
  const fromMs = ref<number | null>(null)
  const widthMs = ref(DEFAULT_WINDOW_NS / 1e6)
  const maxRecords = ref(200_000)

  const capture = shallowRef<TraceCapture | null>(null)
  const model = shallowRef<TimelineModel | null>(null)
  const loading = ref(false)
  const error = ref('')
  const view = ref<TimelineView>('pcpu')
  /** VMs shown in the vCPU view (empty = all). */
  const vmFilter = ref<number[]>([])

  /** Finished runs to choose from (newest first). */
  const runs = ref<RunSummary[]>([])

  async function loadRuns(): Promise<void> {
    try {
      const [r, l] = await Promise.all([api().runs.list({ status: ['done'], limit: 100, sort: 'created-desc', offset: 0 }), api().layouts.list()])
      runs.value = r.rows
      layouts.value = l
    } catch (err) {
      error.value = errorMessage(err)
    }
  }

  const source = computed<TraceSource>(() =>
    sourceKind.value === 'run'
      ? { kind: 'run', runId: runId.value.trim() }
      : { kind: 'preset', preset: preset.value, policy: policy.value, seed: seed.value }
  )

  /** A saved layout runs as an inline scenario with the chosen policy and seed. */
  async function layoutSource(): Promise<{ source: TraceSource; warmupNs: number }> {
    if (!layoutId.value) throw new Error('Choose a layout.')
    const l = await api().layouts.get(layoutId.value)
    const scenario = { ...(l.scenario as unknown as Record<string, never>), policy: { id: policy.value, params: {} }, seed: seed.value }
    return { source: { kind: 'scenario', scenario, label: l.name }, warmupNs: l.scenario.warmupNs ?? 50_000_000 }
  }

  const counts = computed(() => {
    const m = model.value
    if (!m) return null
    const by = (k: string) => m.markers.filter((x) => x.kind === k).length
    return { records: capture.value?.records.filter((x) => x.kind !== 'state').length ?? 0, dropped: capture.value?.dropped ?? 0, slices: m.csSlices.length, preemptInCs: by('preempt-in-cs'), pleExits: by('ple-exit'), yields: by('yield'), preemptions: by('preempt') + by('preempt-in-cs') }
  })

  async function defaultFromNs(): Promise<number> {
    if (sourceKind.value === 'run') {
      const d = await api().runs.get(runId.value.trim())
      return d.scenario.warmupNs
    }
    return 50_000_000
  }

  /**
   * Window-size guard: how many ms of this source fit in the trace buffer, from the last capture's
   * record rate (null before one). `fitsMs` >= the width means the whole window will be complete.
   */
  const fit = computed(() => {
    const c = capture.value
    if (!c || !(c.recordsPerMs > 0)) return null
    return { fitsMs: maxRecords.value / c.recordsPerMs, recordsPerMs: c.recordsPerMs, needed: Math.round(widthMs.value * c.recordsPerMs) }
  })

  async function load(): Promise<void> {
    loading.value = true
    error.value = ''
    try {
      if (sourceKind.value === 'run' && !/^[0-9a-f]{6,64}$/.test(runId.value.trim())) throw new Error('Choose a run (or paste a run id: 6 to 64 hex digits).')
      const width = Math.round(widthMs.value * 1e6)
      if (!(width > 0) || width > MAX_TRACE_WINDOW_NS) throw new Error(`The window width must be between 0 and ${MAX_TRACE_WINDOW_NS / 1e6} ms.`)
      const layout = sourceKind.value === 'layout' ? await layoutSource() : null
      const from = fromMs.value === null ? (layout ? layout.warmupNs : await defaultFromNs()) : Math.round(fromMs.value * 1e6)
      if (!(from >= 0)) throw new Error('The window start must be 0 ms or later.')
      const cap = await api().trace.capture({ source: layout ? layout.source : source.value, fromNs: from, toNs: from + width, maxRecords: maxRecords.value })
      fromMs.value = cap.fromNs / 1e6
      const meta: TraceMeta = { pcpus: cap.pcpus, vms: cap.vms, fromNs: cap.fromNs, toNs: cap.toNs, dropped: cap.dropped, fullAtNs: cap.fullAtNs }
      model.value = Object.freeze(buildTimelineModel(cap.records, meta))
      capture.value = cap
      vmFilter.value = []
    } catch (err) {
      error.value = errorMessage(err)
    } finally {
      loading.value = false
    }
  }

  /** An export range: the whole captured window, or a part of it (the zoomed range). */
  interface Range {
    fromNs: number
    toNs: number
  }

  function rangeOf(c: TraceCapture, r?: Range): Range {
    return r ? { fromNs: Math.max(c.fromNs, r.fromNs), toNs: Math.min(c.toNs, r.toNs) } : { fromNs: c.fromNs, toNs: c.toNs }
  }

  function baseName(r?: Range): string {
    const c = capture.value
    if (!c) return 'trace'
    const w = rangeOf(c, r)
    return fileStem(`${c.label}-${c.policy}-seed${c.seed}-${(w.fromNs / 1e6).toFixed(3)}ms-${(w.toNs / 1e6).toFixed(3)}ms`)
  }

  /** The records and meta of a range (records after it are dropped; earlier ones only set initial states). */
  function slice(c: TraceCapture, r?: Range): { records: TraceCapture['records']; meta: TraceMeta } {
    const w = rangeOf(c, r)
    // Earlier records stay as look-back: they set what each lane is doing at the range start.
    const records = r ? c.records.filter((x) => x.t < w.toNs) : c.records
    return { records, meta: { pcpus: c.pcpus, vms: c.vms, fromNs: w.fromNs, toNs: w.toNs, dropped: c.dropped, fullAtNs: c.fullAtNs } }
  }

  /** ftrace text (sched_switch per pCPU) for Perfetto; returns the file name. */
  function exportFtrace(range?: Range): string | null {
    const c = capture.value
    if (!c) return null
    const name = `${baseName(range)}.trace`
    const s = slice(c, range)
    saveBlob(toFtraceText(s.records, s.meta), name, 'text/plain')
    return name
  }

  /** Trace Event Format JSON (pid = VM, tid = vCPU) for Perfetto / chrome://tracing. */
  function exportJson(range?: Range): string | null {
    const c = capture.value
    const m = model.value
    if (!c || !m) return null
    const name = `${baseName(range)}.json`
    const s = slice(c, range)
    const mm = range ? buildTimelineModel(s.records, s.meta) : m
    const file = toTraceEventJson(mm, { label: c.label, policy: c.policy, seed: c.seed, engineVersion: c.engineVersion, ...(c.runId ? { runId: c.runId } : {}) })
    saveBlob(JSON.stringify(file), name, 'application/json')
    return name
  }

  return { fit, runs, layouts, layoutId, loadRuns, sourceKind, runId, preset, policy, seed, fromMs, widthMs, maxRecords, capture, model, loading, error, view, vmFilter, source, counts, load, exportFtrace, exportJson, baseName }
})
