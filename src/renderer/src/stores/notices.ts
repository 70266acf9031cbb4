import { defineStore, acceptHMRUpdate } from 'pinia'
import { ref } from 'vue'
import { errorMessage } from '../api'

export interface Notice {
  id: number
  kind: 'error' | 'info'
  message: string
  /** performance.now() when shown (to tell a page's old notices from one raised by the navigation itself). */
  at: number
}

/** On navigation, notices older than this belong to the page left behind and are dismissed. */
export const NOTICE_PAGE_GRACE_MS = 1000

/** App-wide messages: API errors nobody else displayed, uncaught errors, confirmations. */
export const useNoticesStore = defineStore('notices', () => {
  /** Visible notices, oldest first (at most 5). */
  const items = ref<Notice[]>([])
  let next = 1

  /** Shows a message; info notices go away by themselves after a few seconds. */
  function push(kind: Notice['kind'], message: string): number {
    const id = next++
    items.value = [...items.value.slice(-4), { id, kind, message, at: performance.now() }]
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

  /**
   * Called on every page change: a notice is about the page it was raised on, so one shown more than
   * NOTICE_PAGE_GRACE_MS ago goes; one raised just before the navigation (Re-run, then go to Run) stays.
   */
  function leavePage(now = performance.now()): void {
    items.value = items.value.filter((n) => now - n.at < NOTICE_PAGE_GRACE_MS)
  }

  return { items, push, error, info, dismiss, leavePage }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useNoticesStore, import.meta.hot))
