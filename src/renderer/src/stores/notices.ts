import { defineStore, acceptHMRUpdate } from 'pinia'
import { ref } from 'vue'
import { errorMessage } from '../api'

export interface Notice {
  id: number
  kind: 'error' | 'info'
  message: string
}

/** App-wide messages: API errors nobody else displayed, uncaught errors, confirmations. */
export const useNoticesStore = defineStore('notices', () => {
  /** Visible notices, oldest first (at most 5). */
  const items = ref<Notice[]>([])
  let next = 1

  /** Shows a message; info notices go away by themselves after a few seconds. */
  function push(kind: Notice['kind'], message: string): number {
    const id = next++
    items.value = [...items.value.slice(-4), { id, kind, message }]
    if (kind === 'info') setTimeout(() => dismiss(id), 3000)
    return id
  }

  /** Shows an error from any API call or exception as one readable line. */
  function error(err: unknown, context?: string): void {
    push('error', context ? `${context}: ${errorMessage(err)}` : errorMessage(err))
  }

  function info(message: string): void {
    push('info', message)
  }

  function dismiss(id: number): void {
    items.value = items.value.filter((n) => n.id !== id)
  }

  return { items, push, error, info, dismiss }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useNoticesStore, import.meta.hot))
