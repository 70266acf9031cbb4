import { defineStore, acceptHMRUpdate } from 'pinia'
import { shallowRef, ref } from 'vue'
import type { ValidationReportInfo } from '../../../shared/ipc/validation'
import { api, errorMessage } from '../api'

/** The stored comparison with real guests (docs/validation.json via `validation:report`). */
export const useValidationStore = defineStore('validation', () => {
  /** The report and where it came from, or null until loaded. */
  const info = shallowRef<ValidationReportInfo | null>(null)
  const error = ref<string | null>(null)
  const loading = ref(false)

  /** Loads the stored report; errors become a readable message. */
  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      info.value = await api().validation.report()
    } catch (err) {
      error.value = errorMessage(err)
    } finally {
      loading.value = false
    }
  }

  return { info, error, loading, load }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useValidationStore, import.meta.hot))
