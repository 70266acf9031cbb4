import { defineStore, acceptHMRUpdate } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { ComparisonSeries } from '../../../shared/ipc/compare'
import type { RunDetail } from '../../../shared/ipc/runs'
import { api, errorMessage } from '../api'
import { useLoader } from '../composables/useLoader'
import { compareDiff, defaultBaseline, withInterpolatedPercentiles } from '../lib/compare'
import { defaultsFromSchema } from '../../../shared/policy-label'
import { usePresetsStore } from './presets'

/** Default metrics compared (those present in a run are shown): throughput first. */
export const HEADLINE_METRICS = ['total.opsPerSec', 'preemptions.inCriticalSection.total', 'preemptions.total', 'lockWait.p99Ns']

/** Compare 2..N stored runs: parameter diff, overlaid metrics and time series. */
export const useCompareStore = defineStore('compare', () => {
  /** Selected run ids, in column order. */
  const runIds = ref<string[]>([])
  const raw = shallowRef<RunDetail[]>([])
  /** The runs, with lock-wait percentiles interpolated within the log2 bucket (also for runs stored before). */
  const details = computed<RunDetail[]>(() => raw.value.map((d) => ({ ...d, metrics: withInterpolatedPercentiles(d.metrics ?? {}, d.result?.lockWaitHistogram?.buckets) })))
  /** The run every other is compared against (bars and delta columns); default: the first kvm run. */
  const baselineId = ref<string | null>(null)
  /** Show parameter rows where every run is at its default. */
  const showDefaults = ref(false)
  const presets = usePresetsStore()
  const series = shallowRef<ComparisonSeries | null>(null)
  /** Show only parameters whose values differ. */
  const differencesOnly = ref(true)
  const { loading, error, run } = useLoader()

  /** What is compared per run: policy, its parameters, seed, engine version, then the scenario's fields once. */
  const paramRows = computed(() => compareDiff(details.value.map((d) => ({
    scenario: d.scenario as unknown as Record<string, unknown>,
    policy: d.policy,
    policyParams: d.policyParams,
    seed: d.seed,
    engineVersion: d.engineVersion
  })), {
    differencesOnly: differencesOnly.value,
    showDefaults: showDefaults.value,
    policyDefaults: (id) => {
      const p = presets.catalog?.policies.find((x) => x.id === id)
      return p?.params ? defaultsFromSchema(p.params) : undefined
    }
  }))

  /** Every metric name any selected run has. */
  const metricNames = computed(() => [...new Set(details.value.flatMap((d) => Object.keys(d.metrics ?? {})))].sort())

  /** Metrics of a campaign's finished runs by run id (for parallel-coordinates axes). */
  const campaignMetrics = shallowRef(new Map<string, Record<string, number>>())
  const campaignMetricNames = computed(() => [...new Set([...campaignMetrics.value.values()].flatMap((m) => Object.keys(m)))].sort())

  /** Loads every metric of up to 500 runs (6 requests at a time). */
  async function loadCampaignMetrics(ids: string[]): Promise<void> {
    const map = new Map<string, Record<string, number>>()
    const list = ids.slice(0, 500)
    try {
      for (let i = 0; i < list.length; i += 6) {
        const chunk = await Promise.all(list.slice(i, i + 6).map((id) => api().runs.get(id).catch(() => null)))
        for (const d of chunk) if (d) map.set(d.id, d.metrics ?? {})
      }
    } catch (err) {
      error.value = errorMessage(err)
    }
    campaignMetrics.value = map
  }

  /** Loads the runs to compare (and their ops series). */
  async function load(ids: string[]): Promise<void> {
    runIds.value = ids
    await run(async () => {
      raw.value = await Promise.all(ids.map((id) => api().runs.get(id)))
      if (!baselineId.value || !ids.includes(baselineId.value)) baselineId.value = defaultBaseline(raw.value)
      if (!presets.catalog && !presets.loading) void presets.load()
      const done = details.value.filter((d) => d.status === 'done').map((d) => d.id)
      series.value = done.length ? await api().compare.series(done, ['ops']) : null
    })
  }

  return { runIds, details, baselineId, showDefaults, series, differencesOnly, loading, error, paramRows, metricNames, campaignMetrics, campaignMetricNames, load, loadCampaignMetrics }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCompareStore, import.meta.hot))
