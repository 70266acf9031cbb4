import { describe, expect, it } from 'vitest'
import { ref } from 'vue'
import { useLoader } from './useLoader'

/** A promise settled from outside, to hold a call in flight. */
function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}

describe('useLoader', () => {
  it('is loading while the call is in flight and returns its value', async () => {
    const l = useLoader()
    expect(l.loading.value).toBe(false)
    const d = deferred<number>()
    const p = l.run(() => d.promise)
    expect(l.loading.value).toBe(true)
    d.resolve(42)
    expect(await p).toBe(42)
    expect(l.loading.value).toBe(false)
    expect(l.error.value).toBeNull()
  })

  it('turns a failure into a readable message, returns undefined, does not throw and stops loading', async () => {
    const l = useLoader()
    const out = await l.run(async () => { throw Object.assign(new Error('layout L9'), { code: 'not-found' }) })
    expect(out).toBeUndefined()
    expect(l.error.value).toBe('layout L9 (not found)')
    expect(l.loading.value).toBe(false)
    // a synchronous throw inside fn is caught the same way
    await l.run(() => { throw new Error('sync') })
    expect(l.error.value).toBe('sync')
    expect(l.loading.value).toBe(false)
  })

  it('clears the last error when the next call starts', async () => {
    const l = useLoader()
    await l.run(async () => { throw new Error('first') })
    const d = deferred<void>()
    const p = l.run(() => d.promise)
    expect(l.error.value).toBeNull()
    d.resolve()
    await p
    expect(l.error.value).toBeNull()
  })

  it('overlapping calls: loading until the last settles; a failure is reported even if a later call succeeds', async () => {
    const l = useLoader()
    const a = deferred<string>()
    const b = deferred<string>()
    const pa = l.run(() => a.promise)
    const pb = l.run(() => b.promise)
    a.reject(new Error('a failed'))
    expect(await pa).toBeUndefined()
    // b is still in flight: the first call to settle does not clear the flag
    expect(l.loading.value).toBe(true)
    expect(l.error.value).toBe('a failed')
    b.resolve('b')
    expect(await pb).toBe('b')
    expect(l.loading.value).toBe(false)
    expect(l.error.value).toBe('a failed')
  })

  it('reports into a given error ref, so two flags can share one message', async () => {
    const error = ref<string | null>('stale')
    const list = useLoader({ error })
    const start = useLoader({ error })
    expect(list.error).toBe(error)
    await start.run(async () => { throw new Error('cannot start') })
    expect(error.value).toBe('cannot start')
    expect(list.loading.value).toBe(false)
    await list.run(async () => 1)
    expect(error.value).toBeNull()
  })
})
