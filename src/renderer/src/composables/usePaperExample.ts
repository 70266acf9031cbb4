import { computed } from 'vue'
import { useRouter } from 'vue-router'
import { usePresetsStore } from '../stores/presets'
import { useLayoutsStore } from '../stores/layouts'
import { useCampaignsStore } from '../stores/campaigns'
import { useNoticesStore } from '../stores/notices'

/** Name of the ready-made example (layouts and campaign). */
export const PAPER_NAME = 'paper: under- vs over-commit'
/** Simulated time per run of the one-click comparison: short enough to finish in a minute or so. */
export const PAPER_DURATION_NS = 100_000_000

/**
 * The ready-made example a new user starts from: the paper's two host layouts (80 pCPUs, 1 VM x 80
 * vCPUs under-committed and 2 VMs x 80 vCPUs over-committed) and a one-click comparison of the
 * baseline against eCS on both, shown as ratio vs commit level.
 */
export function usePaperExample() {
  const router = useRouter()
  const presets = usePresetsStore()
  const layouts = useLayoutsStore()
  const campaigns = useCampaignsStore()
  const notices = useNoticesStore()

  const scenarioIds = computed(() => {
    const ids = presets.catalog?.scenarios.map((s) => s.id) ?? []
    return { under: ids.find((i) => i.startsWith('undercommit')) ?? null, over: ids.includes('overcommit-2x') ? 'overcommit-2x' : (ids.find((i) => i.startsWith('overcommit')) ?? null) }
  })
  /** Baseline first, then eCS (or the next policy the engine has). */
  const policies = computed(() => {
    const ids = presets.catalog?.policies.map((p) => p.id) ?? []
    const base = ids.includes('kvm') ? 'kvm' : ids[0]
    const other = ids.includes('ecs') ? 'ecs' : ids.find((i) => i !== base)
    return [base, other].filter((x): x is string => !!x)
  })
  const available = computed(() => !!scenarioIds.value.over && policies.value.length >= 1)

  /** Creates (or reopens) the over-committed paper layout, with the under-committed one beside it. */
  async function openLayout(): Promise<void> {
    const { under, over } = scenarioIds.value
    if (!over) return
    await layouts.loadList()
    const overName = `${PAPER_NAME} (over-committed 2x)`
    const underName = `${PAPER_NAME} (under-committed 1x)`
    if (under && !layouts.list.some((l) => l.name === underName)) {
      await layouts.createFromPreset(under, underName, 'The paper\'s under-committed host: 1 VM x 80 vCPUs on 80 pCPUs.')
    }
    const existing = layouts.list.find((l) => l.name === overName)
    const l = existing ? { id: existing.id } : await layouts.createFromPreset(over, overName, 'The paper\'s over-committed host: 2 VMs x 80 vCPUs on 80 pCPUs.')
    if (l) await router.push(`/layouts/${l.id}`)
    else if (layouts.error) notices.error(layouts.error)
  }

  /** Runs baseline vs eCS on both layouts as one campaign and opens its ratio-vs-commit view. */
  async function runComparison(): Promise<void> {
    const { under, over } = scenarioIds.value
    const scenarios = [under ? { preset: under, label: 'commit 1x', overrides: { durationNs: PAPER_DURATION_NS } } : null, over ? { preset: over, label: 'commit 2x', overrides: { durationNs: PAPER_DURATION_NS } } : null].filter(Boolean)
    const text = JSON.stringify({ name: PAPER_NAME, description: 'baseline vs eCS, under- (1x) and over-committed (2x) 80-pCPU host', scenarios, policies: policies.value, seeds: [1, 2] }, null, 2)
    const res = await campaigns.start(text)
    if (res) await router.push({ path: '/sweep', query: { campaign: res.id } })
    else if (campaigns.error) notices.error(campaigns.error, 'Could not start the comparison')
  }

  return { available, policies, scenarioIds, openLayout, runComparison }
}
