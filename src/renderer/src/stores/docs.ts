import { defineStore, acceptHMRUpdate } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { DocContent, DocName } from '../../../shared/ipc/docs'
import { api, errorMessage } from '../api'

/** The committed documents (docs/REPORT.md, docs/VALIDATION.md via `docs:get`), loaded once each. */
export const useDocsStore = defineStore('docs', () => {
  /** Loaded documents by name (large strings: not deeply reactive). */
  const byName = shallowRef<Partial<Record<DocName, DocContent>>>({})
  const error = ref<string | null>(null)
  const loading = ref(false)

  /** Loads a document unless it is loaded already; errors become a readable message. */
  async function load(name: DocName): Promise<void> {
    if (byName.value[name]) return
    loading.value = true
    error.value = null
    try {
      const doc = await api().docs.get({ name })
      byName.value = { ...byName.value, [name]: doc }
    } catch (err) {
      error.value = errorMessage(err)
    } finally {
      loading.value = false
    }
  }

  return { byName, error, loading, load }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useDocsStore, import.meta.hot))
