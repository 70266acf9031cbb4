import { defineStore, acceptHMRUpdate } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { CampaignSummary } from '../../../shared/campaign'
import type { CampaignDetail, CampaignProgressEvent } from '../../../shared/ipc/campaigns'
import type { RunFinishedEvent } from '../../../shared/ipc/runs'
import { api, errorMessage } from '../api'
import { useLoader } from '../composables/useLoader'

/** Campaigns (matrices of runs): the sweep view and the parallel-coordinates view read them. */
export const useCampaignsStore = defineStore('campaigns', () => {
  /** Stored campaigns. */
  const list = ref<CampaignSummary[]>([])
  /** The campaign shown (with its runs). */
  const detail = shallowRef<CampaignDetail | null>(null)
  /** Latest progress by campaign id. */
  const progress = ref<Record<string, CampaignProgressEvent>>({})
  const { loading, error, run: runList } = useLoader()
  /** Starting shares `error` with the list (and open/cancel/remove). */
  const { loading: starting, run: runStart } = useLoader({ error })

  async function loadList(): Promise<void> {
    await runList(async () => {
      list.value = await api().campaigns.list()
    })
  }

  /** Loads one campaign with its runs into `detail`. */
  async function open(id: string): Promise<CampaignDetail | null> {
    error.value = null
    try {
      const d = await api().campaigns.get(id)
      detail.value = d
      return d
    } catch (err) {
      error.value = errorMessage(err)
      return null
    }
  }

  /** Validates and starts (or resumes) a campaign from its JSON/YAML text. */
  async function start(text: string): Promise<{ id: string; total: number; pending: number } | null> {
    const started = await runStart(async () => {
      const check = await api().campaigns.validate({ text, source: 'app' })
      if (!check.ok) {
        error.value = check.errors.join('; ')
        return null
      }
      const res = await api().campaigns.start({ text, source: 'app' })
      progress.value = { ...progress.value, [res.id]: { campaignId: res.id, total: res.total, done: res.total - res.pending, failed: 0, cancelled: 0, running: 0, etaMs: null, finished: res.pending === 0 } }
      await open(res.id)
      return res
    })
    return started ?? null
  }

  async function cancel(id: string): Promise<void> {
    try {
      await api().campaigns.cancel(id)
    } catch (err) {
      error.value = errorMessage(err)
    }
  }

  async function remove(id: string, deleteRuns = false): Promise<boolean> {
    try {
      await api().campaigns.delete(id, { deleteRuns })
      if (detail.value?.id === id) detail.value = null
      await loadList()
      return true
    } catch (err) {
      error.value = errorMessage(err)
      return false
    }
  }

  let refreshTimer: ReturnType<typeof setTimeout> | null = null
  /** Re-reads the shown campaign at most twice a second while its runs finish. */
  function refreshSoon(): void {
    if (refreshTimer || !detail.value) return
    refreshTimer = setTimeout(() => {
      refreshTimer = null
      if (detail.value) void open(detail.value.id)
    }, 500)
  }

  function onProgress(e: CampaignProgressEvent): void {
    progress.value = { ...progress.value, [e.campaignId]: e }
    if (detail.value?.id === e.campaignId) refreshSoon()
  }

  function onRunFinished(e: RunFinishedEvent): void {
    if (detail.value?.runs.some((r) => r.id === e.runId)) refreshSoon()
  }

  /** Subscribes to campaign progress (and run completions of the shown campaign). */
  function subscribe(): () => void {
    const offs = [api().campaigns.onProgress(onProgress), api().runs.onFinished(onRunFinished)]
    return () => offs.forEach((off) => off())
  }

  return { list, detail, progress, loading, starting, error, loadList, open, start, cancel, remove, onProgress, subscribe }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCampaignsStore, import.meta.hot))
