import { defineStore, acceptHMRUpdate } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import type { RunDetail, RunFilter, RunFinishedEvent, RunProgressEvent, RunSeries, RunStatus, RunSummary, StartRunsArgs, StartRunsResult } from '../../../shared/ipc/runs'
import { api, errorMessage } from '../api'
import { useLoader } from '../composables/useLoader'
import { factsOf, type RunFacts } from '../lib/run-query'
import { policyRefLabel } from '../../../shared/policy-label'

/** A started batch: one source x policies x seeds, as the run page shows it. */
export interface Batch {
  label: string
  runIds: string[]
  started: string[]
  reused: string[]
  /** Runs that were already stored: they keep their own tags and note (see addBatchTags). */
  existing: string[]
  /** The tags this batch was started with (written to its new runs only). */
  tags: string[]
  /** existing runs the user chose to add this batch's tags to. */
  tagsAdded: boolean
  /** Policy variant labels (`kvm`, `ecs {vetoCap: 4}`), in run order. */
  policies: string[]
  seeds: number[]
  startedAt: number
}

/** Live state of one run of a batch, from runs:progress / runs:finished. */
export interface RunLive {
  status: RunStatus
  progress: RunProgressEvent | null
  error: string | null
  wallMs: number | null
  /** Order in which the runs:finished event that set a final status arrived (finishedSeq); absent otherwise. */
  finishedSeq?: number
}

/** The run page's form, kept here so it survives leaving the page while runs progress. */
export interface RunForm {
  /** 'layout:<id>' or 'preset:<id>'. */
  source: string
  /** Ticked policy ids (default parameters). */
  policies: string[]
  /** Policy variants: an id with its non-default parameters (`ecs {vetoCap: 4}`). */
  variants: PolicyVariant[]
  /** The baseline's label when the user picked one (else kvm, else the first policy). */
  baseline: string | null
  seedCount: number | null
  firstSeed: number | null
  /** Simulated time override in ns; null = the layout's/preset's own. */
  durationNs: number | null
  /** Warm-up in ns (excluded from statistics); null = the form's default (run-checks defaultWarmupNs). */
  warmupNs: number | null
  tags: string
  note: string
}

/** A policy with parameters (only the non-default ones), as runs:start takes it. */
export interface PolicyVariant {
  id: string
  params: Record<string, unknown>
}

/** Runs: start a batch and follow it, list and search the stored runs, tag, annotate, delete. */
export const useRunsStore = defineStore('runs', () => {
  /** The run page's form. */
  const form = ref<RunForm>({ source: '', policies: [], variants: [], baseline: null, seedCount: 3, firstSeed: 1, durationNs: null, warmupNs: null, tags: '', note: '' })

  // ---- the current batch --------------------------------------------------------------------
  /** The batch on the run page (null before the first start). */
  const batch = ref<Batch | null>(null)
  /** Live status by run id (any run we heard of in this session). */
  const live = ref<Record<string, RunLive>>({})
  const { loading: starting, error: startError, run: runStart } = useLoader()
  /** Stored details of the current batch's finished runs (large: not deeply reactive). */
  const batchDetails = shallowRef<RunDetail[]>([])
  /** Time series of one seed per policy of the current batch. */
  const batchSeries = shallowRef<RunSeries[]>([])
  const { loading: resultsLoading, error: resultsError, run: runResults } = useLoader()

  const batchFinished = computed(() => !!batch.value && batch.value.runIds.every((id) => isFinal(live.value[id]?.status)))
  const batchCounts = computed(() => {
    const c = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 }
    for (const id of batch.value?.runIds ?? []) c[live.value[id]?.status ?? 'queued']++
    return c
  })

  function isFinal(s: RunStatus | undefined): boolean {
    return s === 'done' || s === 'failed' || s === 'cancelled'
  }

  /**
   * Counts runs:finished events. A run can finish before runs:start / runs:rerun has answered (a short
   * run on an idle pool; events and answers travel separately): its final status must then stand, not
   * be reset to 'queued' as a stale status of an earlier run with the same id would be.
   */
  let finishedSeq = 0
  /** A started run's status once its start call answered: 'queued', unless it finished after `since`. */
  function markStarted(id: string, since: number): void {
    const l = live.value[id]
    if (l && isFinal(l.status) && (l.finishedSeq ?? 0) > since) return
    setLive(id, { status: 'queued', progress: null, error: null, finishedSeq: undefined })
  }

  function setLive(id: string, patch: Partial<RunLive>): void {
    const prev = live.value[id] ?? { status: 'queued', progress: null, error: null, wallMs: null }
    // set one key in place: copying the whole map per event would be O(runs) on every progress tick
    live.value[id] = { ...prev, ...patch }
  }

  /** Applies a runs:progress event. */
  function onProgress(e: RunProgressEvent): void {
    if (isFinal(live.value[e.runId]?.status)) return
    setLive(e.runId, { status: 'running', progress: e })
  }

  /** Applies a runs:finished event; loads the batch's results once every run has ended. */
  function onFinished(e: RunFinishedEvent): void {
    setLive(e.runId, { status: e.status, error: e.error, wallMs: e.wallMs, finishedSeq: ++finishedSeq })
    const row = rows.value.find((r) => r.id === e.runId)
    if (row) {
      row.status = e.status
      row.error = e.error
    }
    if (batch.value?.runIds.includes(e.runId) && batchFinished.value) void loadBatchResults()
  }

  /** Subscribes to run events; returns the unsubscribe function (see useRunEvents). */
  function subscribe(): () => void {
    const offs = [api().runs.onProgress(onProgress), api().runs.onFinished(onFinished)]
    return () => offs.forEach((off) => off())
  }

  /** Starts a batch. Runs already stored with the same key are reused (deterministic engine). */
  async function start(args: StartRunsArgs, label: string): Promise<StartRunsResult | null> {
    batchDetails.value = []
    batchSeries.value = []
    resultsError.value = null
    const since = finishedSeq
    const started = await runStart(async () => {
      const res = await api().runs.start(args)
      const policies = args.policies.map((p) => policyRefLabel(p))
      batch.value = { label, ...res, existing: res.existing ?? [], tags: [...(args.tags ?? [])], tagsAdded: false, policies, seeds: args.seeds ?? [1], startedAt: Date.now() }
      for (const id of res.reused) setLive(id, { status: 'done' })
      for (const id of res.started) if (!live.value[id] || isFinal(live.value[id].status)) markStarted(id, since)
      if (batchFinished.value) await loadBatchResults()
      return res
    })
    return started ?? null
  }

  /** Shows an existing set of runs as the current batch (e.g. from the saved-runs table). */
  async function showBatch(runIds: string[], label: string): Promise<void> {
    batchDetails.value = []
    batchSeries.value = []
    resultsError.value = null
    try {
      const fetched = await Promise.all(runIds.map((id) => api().runs.get(id)))
      // group by policy (the baseline kvm first), then seed, as a started batch is
      const rank = (d: RunDetail) => (d.policyLabel === 'kvm' ? '' : d.policyLabel)
      const details = fetched.sort((a, b) => rank(a).localeCompare(rank(b)) || a.seed - b.seed)
      runIds = details.map((d) => d.id)
      for (const d of details) setLive(d.id, { status: d.status, error: d.error, wallMs: d.wallMs })
      batch.value = {
        label,
        runIds,
        started: [],
        reused: runIds,
        existing: [],
        tags: [],
        tagsAdded: false,
        policies: [...new Set(details.map((d) => d.policyLabel))],
        seeds: [...new Set(details.map((d) => d.seed))],
        startedAt: Date.now()
      }
      await loadBatchResults(details)
    } catch (err) {
      resultsError.value = errorMessage(err)
    }
  }

  /** Loads details of the batch's finished runs and a time series per policy. */
  async function loadBatchResults(prefetched?: RunDetail[]): Promise<void> {
    const b = batch.value
    if (!b) return
    await runResults(async () => {
      const ids = b.runIds.filter((id) => live.value[id]?.status === 'done')
      const details = prefetched?.filter((d) => d.status === 'done') ?? await Promise.all(ids.map((id) => api().runs.get(id)))
      // one seed per policy variant is enough for the over-time view; keep the map order = policy order
      const seen = new Set<string>()
      const seriesIds = details.filter((d) => !seen.has(d.policyLabel) && seen.add(d.policyLabel)).map((d) => d.id)
      const series = await Promise.all(seriesIds.map((id) => api().runs.series(id).catch(() => null)))
      if (batch.value !== b) return
      batchDetails.value = details
      batchSeries.value = series.filter((s): s is RunSeries => s !== null)
    })
  }

  /** Cancels a queued or running run. */
  async function cancel(id: string): Promise<void> {
    try {
      await api().runs.cancel(id)
    } catch (err) {
      setLive(id, { error: errorMessage(err) })
    }
  }

  /** Cancels every unfinished run of the current batch. */
  async function cancelBatch(): Promise<void> {
    const ids = (batch.value?.runIds ?? []).filter((id) => !isFinal(live.value[id]?.status))
    await Promise.all(ids.map((id) => cancel(id)))
  }

  // ---- stored runs ----------------------------------------------------------------------------
  /** Rows of the saved-runs table (server-side filter applied). */
  const rows = ref<RunSummary[]>([])
  const total = ref(0)
  /** The server-side part of the table's filter. */
  const filter = ref<RunFilter>({ sort: 'created-desc', limit: 200 })
  const { loading: listLoading, error: listError, run: runList } = useLoader()
  /** Tags in use, with counts. */
  const tags = ref<{ tag: string; count: number }[]>([])
  /** Workload, commit ratio, parameters and metrics per run id, loaded on demand. */
  const facts = shallowRef(new Map<string, RunFacts>())

  /** Reloads the table with the current filter. */
  async function loadList(): Promise<void> {
    await runList(async () => {
      const [res, t] = await Promise.all([api().runs.list(filter.value), api().runs.tags()])
      rows.value = res.rows
      total.value = res.total
      tags.value = t
    })
  }

  /** Loads facts (workload, commit ratio, parameters, metrics) for runs that lack them, 6 at a time. */
  async function ensureFacts(ids: readonly string[]): Promise<void> {
    const missing = ids.filter((id) => !facts.value.has(id))
    for (let i = 0; i < missing.length; i += 6) {
      const chunk = missing.slice(i, i + 6)
      const details = await Promise.all(chunk.map((id) => api().runs.get(id).catch(() => null)))
      for (const d of details) if (d) facts.value.set(d.id, factsOf(d))
      triggerRef(facts)
    }
  }

  /** One stored run in full. */
  async function get(id: string): Promise<RunDetail> {
    return api().runs.get(id)
  }

  /** Deletes runs; returns how many were deleted. */
  async function remove(ids: string[]): Promise<number> {
    const res = await api().runs.delete(ids)
    rows.value = rows.value.filter((r) => !ids.includes(r.id))
    total.value = Math.max(0, total.value - res.deleted)
    return res.deleted
  }

  /** Runs a stored run's configuration again; it becomes the current batch. */
  async function rerun(id: string): Promise<StartRunsResult> {
    const src = rows.value.find((r) => r.id === id)
    const since = finishedSeq
    const res = await api().runs.rerun(id)
    // a re-run is the run itself again: nothing to retag
    batch.value = { label: src?.label ?? id, ...res, existing: [], tags: [], tagsAdded: false, policies: src ? [src.policyLabel] : [], seeds: src ? [src.seed] : [], startedAt: Date.now() }
    batchDetails.value = []
    batchSeries.value = []
    for (const rid of res.reused) setLive(rid, { status: 'done' })
    for (const rid of res.started) markStarted(rid, since)
    if (batchFinished.value) await loadBatchResults()
    return res
  }

  async function setTags(id: string, newTags: string[]): Promise<void> {
    const res = await api().runs.setTags(id, newTags)
    const row = rows.value.find((r) => r.id === id)
    if (row) row.tags = res.tags
    tags.value = await api().runs.tags()
  }

  /** Adds tags to many runs (tags they have stay); the listed rows and the tag list follow. */
  async function addTags(ids: string[], add: string[]): Promise<number> {
    const res = await api().runs.addTags(ids, add)
    for (const r of rows.value) if (ids.includes(r.id)) r.tags = [...new Set([...r.tags, ...add])].sort()
    tags.value = await api().runs.tags()
    return res.updated
  }

  /** Removes tags from many runs (other tags stay); returns how many runs had one of them. */
  async function removeTags(ids: string[], remove: string[]): Promise<number> {
    const res = await api().runs.removeTags(ids, remove)
    for (const r of rows.value) if (ids.includes(r.id)) r.tags = r.tags.filter((t) => !remove.includes(t))
    tags.value = await api().runs.tags()
    return res.updated
  }

  /** Tidy CSV (one row per run x metric, every parameter as a column) of the given runs. */
  async function exportCsv(ids: string[], shape: 'metrics' | 'samples' = 'metrics'): Promise<{ filename: string; content: string; mimeType: string }> {
    const res = await api().export.runs({ selection: { runIds: ids }, format: 'csv', shape })
    return { filename: res.filename, content: res.content, mimeType: res.mimeType }
  }

  async function setNote(id: string, note: string): Promise<void> {
    const res = await api().runs.setNote(id, note)
    const row = rows.value.find((r) => r.id === id)
    if (row) row.note = res.note
  }

  /** Adds the batch's tags to its runs that were already stored (the user's explicit choice; nothing is replaced). */
  async function addBatchTags(): Promise<void> {
    const b = batch.value
    if (!b || !b.existing.length || !b.tags.length) return
    await api().runs.addTags(b.existing, b.tags)
    batch.value = { ...b, tagsAdded: true }
  }

  return {
    addBatchTags,
    form, batch, live, starting, startError, batchDetails, batchSeries, resultsLoading, resultsError, batchFinished, batchCounts,
    rows, total, filter, listLoading, listError, tags, facts,
    onProgress, onFinished, subscribe, start, showBatch, loadBatchResults, cancel, cancelBatch,
    loadList, ensureFacts, get, remove, rerun, setTags, addTags, removeTags, setNote, exportCsv
  }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useRunsStore, import.meta.hot))
