/**
 * The busy flag and readable error of a store's async actions: `run(fn)` sets `loading`, clears
 * `error`, awaits `fn`, and turns a failure into `errorMessage(err)` instead of throwing.
 *
 * Overlapping calls: `loading` stays true until the last of them settles (a counter, not a boolean
 * that the first call to finish would clear), every call clears `error` when it starts, and any
 * failure is reported, whichever call it came from (a later call that succeeds does not hide it).
 */
import { ref, type Ref } from 'vue'
import { errorMessage } from '../api'

export interface Loader {
  /** True while a call of `run` is in flight. */
  loading: Ref<boolean>
  /** The last failure as a readable message; null again when a call starts. */
  error: Ref<string | null>
  /** Runs `fn` under the flag; its value, or undefined when it failed (the message is in `error`). */
  run<T>(fn: () => Promise<T>): Promise<T | undefined>
}

/** `error`: an existing ref to report into, for two flags that share one message (list and start). */
export function useLoader(options: { error?: Ref<string | null> } = {}): Loader {
  const loading = ref(false)
  const error = options.error ?? ref<string | null>(null)
  let pending = 0

  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    pending++
    loading.value = true
    error.value = null
    try {
      return await fn()
    } catch (err) {
      error.value = errorMessage(err)
      return undefined
    } finally {
      pending--
      loading.value = pending > 0
    }
  }

  return { loading, error, run }
}
