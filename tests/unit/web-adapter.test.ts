/**
 * The web harness's adapter must build the same window.api the preload builds: one method per
 * invoke channel, one on<Event> per event channel, and arguments that reach the server as the
 * IPC structured clone would deliver them (trailing undefined = absent, not null).
 */
import { describe, expect, it } from 'vitest'
import { eventChannelNames, invokeChannelNames } from '../../src/shared/ipc'
import { adapterSource } from '../../src/web/server'

interface Call { url: string; body: unknown }

function loadAdapter() {
  const calls: Call[] = []
  const win: Record<string, unknown> = {}
  const fetchStub = async (url: string, init: { body: string }) => {
    calls.push({ url, body: JSON.parse(init.body) })
    return { json: async () => ({ ok: true, value: 'v' }) }
  }
  class EventSourceStub { onmessage: unknown = null; constructor(readonly url: string) {} }
  new Function('window', 'fetch', 'EventSource', adapterSource())(win, fetchStub, EventSourceStub)
  return { api: win.api as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>, calls }
}

describe('web adapter', () => {
  it('exposes exactly one method per contract channel', () => {
    const { api } = loadAdapter()
    const methods = Object.entries(api).flatMap(([d, o]) => Object.keys(o).map((a) => `${d}:${a}`)).sort()
    const expected = [
      ...invokeChannelNames,
      ...eventChannelNames.map((c) => {
        const [d, a] = c.split(':')
        return `${d}:on${a.charAt(0).toUpperCase()}${a.slice(1)}`
      })
    ].sort()
    expect(methods).toEqual(expected)
    expect(Object.isFrozen(api)).toBe(true)
  })

  it('drops trailing undefined arguments instead of sending null', async () => {
    const { api, calls } = loadAdapter()
    const [domain, action] = invokeChannelNames[0].split(':')
    await api[domain][action]('a', undefined, undefined)
    await api[domain][action]()
    await api[domain][action](undefined, 2)
    expect(calls.map((c) => c.body)).toEqual([['a'], [], [null, 2]])
    expect(calls[0].url).toBe('/__ecs/rpc/' + encodeURIComponent(invokeChannelNames[0]))
  })
})
