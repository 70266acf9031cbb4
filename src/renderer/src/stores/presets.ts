import { defineStore, acceptHMRUpdate } from 'pinia'
import { ref } from 'vue'
import type { PresetCatalog } from '../../../shared/scenario'
import type { AppInfo } from '../../../shared/ipc/app'
import { api } from '../api'
import { useLoader } from '../composables/useLoader'

/** Built-in scenario and workload presets, and the app/engine versions. */
export const usePresetsStore = defineStore('presets', () => {
  /** The catalog from src/sim, or null until loaded. */
  const catalog = ref<PresetCatalog | null>(null)
  const info = ref<AppInfo | null>(null)
  const { error, loading, run } = useLoader()

  /** Loads the catalog once; errors become a readable message. */
  async function load(): Promise<void> {
    await run(async () => {
      const [c, i] = await Promise.all([api().presets.list(), api().app.info()])
      catalog.value = c
      info.value = i
    })
  }

  return { catalog, info, error, loading, load }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(usePresetsStore, import.meta.hot))
