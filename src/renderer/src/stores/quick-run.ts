import { defineStore, acceptHMRUpdate } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { SimResult } from '../../../shared/result'
import { api, errorMessage } from '../api'

/** A one-off smoke simulation run through the whole stack (renderer -> main -> worker -> engine). */
export const useQuickRunStore = defineStore('quickRun', () => {
  const result = shallowRef<SimResult | null>(null)
  const running = ref(false)
  const error = ref<string | null>(null)

  async function run(preset: string, policy?: string): Promise<void> {
    running.value = true
    error.value = null
    try {
      result.value = await api().sim.runQuick({ preset, ...(policy ? { policy } : {}) })
    } catch (err) {
      error.value = errorMessage(err)
    } finally {
      running.value = false
    }
  }

  return { result, running, error, run }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useQuickRunStore, import.meta.hot))
