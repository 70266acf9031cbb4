import { defineStore, acceptHMRUpdate } from 'pinia'
import { computed, ref } from 'vue'
import type { Api } from '../../../shared/ipc'
import type { Layout, LayoutSummary } from '../../../shared/ipc/layouts'
import { LayoutSizeSchema, type ScenarioInput } from '../../../shared/scenario'
import { formatZodError } from '../../../shared/ipc/define'
import { assertTextDepth, DepthError } from '../../../shared/json-depth'
import { api, errorCode, errorMessage } from '../api'
import { useLoader } from '../composables/useLoader'
import { defaultDraft, draftFromScenario, issueCount, issuesFromMessage, toScenarioInput, validateDraft, type DraftIssues, type LayoutDraft } from '../lib/draft'
import { placeVcpus } from '../lib/placement'
import { usePresetsStore } from './presets'

/** What layouts:create takes. */
type CreateLayoutArgs = Parameters<Api['layouts']['create']>[0]

/** The file format of an exported layout (also accepted on import: or a bare scenario). */
export interface LayoutFile {
  format: 'ecs-lab-layout'
  name: string
  description: string
  version?: number
  scenario: Record<string, unknown>
}

/** Names, versions and the edited draft of VM layouts (layouts:* channels). */
export const useLayoutsStore = defineStore('layouts', () => {
  const presets = usePresetsStore()

  /** Stored layouts, most recently updated first. */
  const list = ref<LayoutSummary[]>([])
  /** The stored layout being edited (null for a new, unsaved one). */
  const current = ref<Layout | null>(null)
  /** The edited scenario; null when nothing is open. */
  const draft = ref<LayoutDraft | null>(null)
  const name = ref('')
  const description = ref('')
  /** Serialized name + description + draft as last opened or saved ('' = never saved). */
  const savedSnapshot = ref('')
  /** Last error of a list/open/delete call, readable. */
  const error = ref<string | null>(null)
  const { loading, run: runList } = useLoader({ error })
  const saving = ref(false)
  /** Field messages from the last failed save (the engine's resolveScenario), by path. */
  const serverIssues = ref<DraftIssues>({})
  /** The snapshot those messages are about: they are hidden once the draft changes. */
  const serverIssuesSnapshot = ref('')

  const snapshot = computed(() => (draft.value ? JSON.stringify([name.value, description.value, draft.value]) : ''))
  /** True when the draft differs from what was last opened or saved. */
  const dirty = computed(() => !!draft.value && snapshot.value !== savedSnapshot.value)

  const workloadIds = computed(() => presets.catalog?.workloads.map((w) => w.id) ?? [])
  const defaultWorkload = computed(() => ['spinlock-heavy', 'cpu-bound'].find((w) => workloadIds.value.includes(w)) ?? workloadIds.value[0] ?? 'spinlock-heavy')

  /** Validation messages of the draft by field path (shared schema + cross-field rules + server). */
  const issues = computed<DraftIssues>(() => {
    if (!draft.value) return {}
    const local = validateDraft(draft.value, workloadIds.value)
    const merged: DraftIssues = { ...local }
    if (serverIssuesSnapshot.value === snapshot.value) {
      for (const [k, v] of Object.entries(serverIssues.value)) merged[k] = [...(merged[k] ?? []), ...v]
    }
    if (!name.value.trim()) merged.name = ['give the layout a name']
    return merged
  })
  const valid = computed(() => issueCount(issues.value) === 0)
  /** The host picture's data. */
  const placement = computed(() => draft.value
    ? placeVcpus(draft.value.host.pcpus, draft.value.host.sockets ?? undefined, draft.value.vms.map((v) => ({ name: v.name, vcpus: v.vcpus, ...(v.pinned ? { pinning: v.pinning } : {}) })))
    : null)

  /** Reloads the list of stored layouts. */
  async function loadList(): Promise<void> {
    await runList(async () => {
      list.value = await api().layouts.list()
    })
  }

  function setOpened(l: Layout): void {
    current.value = l
    name.value = l.name
    description.value = l.description
    draft.value = draftFromScenario(l.scenario, defaultWorkload.value)
    serverIssues.value = {}
    savedSnapshot.value = snapshot.value
  }

  /** Opens a stored layout (a given version, default the latest) into the draft. */
  async function open(id: string, version?: number): Promise<boolean> {
    error.value = null
    try {
      // (the web harness sends an explicit undefined as null, which the contract rejects)
      setOpened(await (version === undefined ? api().layouts.get(id) : api().layouts.get(id, version)))
      return true
    } catch (err) {
      error.value = errorMessage(err)
      return false
    }
  }

  /** Starts a new, unsaved layout: a small 2x over-committed host. */
  function newDraft(): void {
    current.value = null
    name.value = 'new layout'
    description.value = ''
    draft.value = defaultDraft(defaultWorkload.value)
    serverIssues.value = {}
    savedSnapshot.value = ''
  }

  /** Stores a new layout made by `args`, opens it and reloads the list; null (message in `error`) on failure. */
  async function createAndOpen(args: () => Promise<CreateLayoutArgs>): Promise<Layout | null> {
    error.value = null
    try {
      const l = await api().layouts.create(await args())
      setOpened(l)
      await loadList()
      return l
    } catch (err) {
      error.value = errorMessage(err)
      return null
    }
  }

  /** Creates and opens a stored layout from a built-in scenario preset. */
  async function createFromPreset(preset: string, layoutName: string, layoutDescription = ''): Promise<Layout | null> {
    return createAndOpen(async () => ({ name: layoutName, description: layoutDescription, scenario: { preset }, note: `from preset ${preset}` }))
  }

  /** Saves the draft: creates the layout, or stores a new version of the open one. */
  async function save(note = ''): Promise<Layout | null> {
    if (!draft.value) return null
    saving.value = true
    error.value = null
    serverIssues.value = {}
    const { input } = toScenarioInput(draft.value)
    try {
      const scenario = input as Record<string, never>
      const l = current.value
        ? await api().layouts.update({ id: current.value.id, name: name.value, description: description.value, scenario, note, expectedVersion: current.value.latestVersion })
        : await api().layouts.create({ name: name.value, description: description.value, scenario, note })
      setOpened(l)
      await loadList()
      return l
    } catch (err) {
      const code = errorCode(err)
      const msg = errorMessage(err)
      if (code === 'invalid-argument') {
        serverIssues.value = issuesFromMessage(msg.replace(/ \(invalid input\)$/, ''))
        serverIssuesSnapshot.value = snapshot.value
      }
      error.value = code === 'conflict' ? `${msg}. Reopen the layout to see the newer version.` : msg
      return null
    } finally {
      saving.value = false
    }
  }

  /** Stores a copy of a layout (its latest version) under a new name and opens it. */
  async function duplicate(id: string): Promise<Layout | null> {
    return createAndOpen(async () => {
      const src = await api().layouts.get(id)
      return { name: `${src.name} (copy)`, description: src.description, scenario: src.scenario as unknown as Record<string, never>, note: `copy of ${src.name} v${src.version}` }
    })
  }

  /** Deletes a layout and all its versions (its runs are kept). */
  async function remove(id: string): Promise<boolean> {
    error.value = null
    try {
      await api().layouts.delete(id)
      if (current.value?.id === id) {
        current.value = null
        draft.value = null
      }
      await loadList()
      return true
    } catch (err) {
      error.value = errorMessage(err)
      return false
    }
  }

  /** The open draft as a layout file (JSON text) and a file name for it. */
  function exportFile(): { filename: string; text: string } | null {
    if (!draft.value) return null
    const file: LayoutFile = {
      format: 'ecs-lab-layout',
      name: name.value,
      description: description.value,
      ...(current.value ? { version: current.value.version } : {}),
      scenario: toScenarioInput(draft.value).input
    }
    const slug = name.value.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'layout'
    return { filename: `${slug}.layout.json`, text: JSON.stringify(file, null, 2) + '\n' }
  }

  /** Loads a layout file (or a bare scenario JSON) into a new unsaved draft. Returns an error or null. */
  function importFile(text: string, fileName = 'imported'): string | null {
    let data: unknown
    try {
      assertTextDepth(text, fileName)
      data = JSON.parse(text)
    } catch (err) {
      if (err instanceof DepthError) return err.message
      return `${fileName} is not JSON: ${(err as Error).message}`
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return `${fileName}: expected a JSON object`
    const obj = data as Record<string, unknown>
    const scenario = (obj.format === 'ecs-lab-layout' || 'scenario' in obj) ? obj.scenario : obj
    if (typeof scenario !== 'object' || scenario === null || !Array.isArray((scenario as Record<string, unknown>).vms)) {
      return `${fileName}: no scenario with a "vms" list found`
    }
    // Range-check the sizes before drawing: 2e5 vCPUs would freeze the host grid on every redraw.
    const sizes = LayoutSizeSchema.safeParse(scenario)
    if (!sizes.success) return `${fileName}: ${formatZodError(sizes.error)}`
    current.value = null
    name.value = typeof obj.name === 'string' && obj.format === 'ecs-lab-layout' ? obj.name : fileName.replace(/\.(layout\.)?json$/i, '')
    description.value = typeof obj.description === 'string' ? obj.description : ''
    draft.value = draftFromScenario(scenario as unknown as ScenarioInput, defaultWorkload.value)
    serverIssues.value = {}
    savedSnapshot.value = ''
    return null
  }

  /** Closes the draft without saving. */
  function close(): void {
    current.value = null
    draft.value = null
    savedSnapshot.value = ''
    serverIssues.value = {}
  }

  return {
    list, current, draft, name, description, savedSnapshot, dirty, loading, saving, error, serverIssues, serverIssuesSnapshot,
    workloadIds, defaultWorkload, issues, valid, placement,
    loadList, open, newDraft, createFromPreset, save, duplicate, remove, exportFile, importFile, close
  }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useLayoutsStore, import.meta.hot))
