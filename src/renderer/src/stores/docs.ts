import { defineStore, acceptHMRUpdate } from 'pinia'
import { shallowRef } from 'vue'
import type { DocContent, DocName } from '../../../shared/ipc/docs'
import { api } from '../api'
import { useLoader } from '../composables/useLoader'

/** The committed documents (docs/REPORT.md, docs/VALIDATION.md via `docs:get`), loaded once each. */
export const useDocsStore = defineStore('docs', () => {
  /** Loaded documents by name (large strings: not deeply reactive). */
  const byName = shallowRef<Partial<Record<DocName, DocContent>>>({})
  const { error, loading, run } = useLoader()

  /** Loads a document unless it is loaded already; errors become a readable message. */
  async function load(name: DocName): Promise<void> {
    if (byName.value[name]) return
    await run(async () => {
      const doc = await api().docs.get({ name })
      byName.value = { ...byName.value, [name]: doc }
    })
  }

  return { byName, error, loading, load }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useDocsStore, import.meta.hot))
