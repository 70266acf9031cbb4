import { defineStore, acceptHMRUpdate } from 'pinia'
import { shallowRef } from 'vue'
import type { SimResult } from '../../../shared/result'
import { api } from '../api'
import { useLoader } from '../composables/useLoader'

/** A one-off smoke simulation run through the whole stack (renderer -> main -> worker -> engine). */
export const useQuickRunStore = defineStore('quickRun', () => {
  const result = shallowRef<SimResult | null>(null)
  const { loading: running, error, run: track } = useLoader()

  async function run(preset: string, policy?: string): Promise<void> {
    await track(async () => {
      result.value = await api().sim.runQuick({ preset, ...(policy ? { policy } : {}) })
    })
  }

  return { result, running, error, run }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useQuickRunStore, import.meta.hot))
