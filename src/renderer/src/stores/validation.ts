import { defineStore, acceptHMRUpdate } from 'pinia'
import { shallowRef } from 'vue'
import type { ValidationReportInfo } from '../../../shared/ipc/validation'
import { api } from '../api'
import { useLoader } from '../composables/useLoader'

/** The stored comparison with real guests (docs/validation.json via `validation:report`). */
export const useValidationStore = defineStore('validation', () => {
  /** The report and where it came from, or null until loaded. */
  const info = shallowRef<ValidationReportInfo | null>(null)
  const { error, loading, run } = useLoader()

  /** Loads the stored report; errors become a readable message. */
  async function load(): Promise<void> {
    await run(async () => {
      info.value = await api().validation.report()
    })
  }

  return { info, error, loading, load }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useValidationStore, import.meta.hot))
