/**
 * The whole IPC surface: main registers exactly one handler per contract invoke channel, the preload
 * exposes exactly one method per contract channel (invoke + event) under `window.api`, each bound to
 * its own channel name, and nothing else crosses the bridge.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { eventChannelNames, eventMethodName, invokeChannelNames, splitChannel } from '../../../src/shared/ipc'
import type { Handlers } from '../../../src/shared/ipc'
import { sharedFake } from './fake-electron'

vi.mock('electron', async () => (await import('./fake-electron')).sharedFake().electron)

const fake = sharedFake()

function spyHandlers(): Handlers {
  return Object.fromEntries(invokeChannelNames.map((c) => [c, vi.fn(async () => `result of ${c}`)])) as unknown as Handlers
}

type Api = Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>
let api: Api
let unregister: () => void

beforeAll(async () => {
  const { registerIpc } = await import('../../../src/main/ipc/register')
  unregister = registerIpc({ handlers: spyHandlers() }, () => true)
  Object.defineProperty(process, 'contextIsolated', { value: true, configurable: true })
  await import('../../../src/preload/index')
  api = fake.exposed[0]!.api as Api
})

describe('main side', () => {
  it('registers a handler for every invoke channel and for nothing else', () => {
    expect([...fake.handlers.keys()].sort()).toEqual([...invokeChannelNames].sort())
  })

  it('opens no fire-and-forget doors: ipcMain.on / ipcRenderer.send are never used (the fakes throw if they are)', () => {
    // registerIpc and the preload ran in beforeAll without tripping the throwing fakes.
    expect(fake.handlers.size).toBe(invokeChannelNames.length)
  })
})

describe('preload side', () => {
  it('exposes exactly one global, window.api', () => {
    expect(fake.exposed.map((e) => e.key)).toEqual(['api'])
  })

  it('groups methods by domain: one per invoke channel, one on<Event> per event channel, nothing else', () => {
    const expected = [
      ...invokeChannelNames.map((c) => splitChannel(c).join('.')),
      ...eventChannelNames.map((c) => `${splitChannel(c)[0]}.${eventMethodName(c)}`)
    ].sort()
    const actual = Object.entries(api).flatMap(([domain, methods]) => Object.keys(methods).map((m) => `${domain}.${m}`)).sort()
    expect(actual).toEqual(expected)
    for (const methods of Object.values(api)) for (const fn of Object.values(methods)) expect(typeof fn).toBe('function')
  })

  it('binds every invoke method to its own channel (never a generic invoke)', async () => {
    for (const channel of invokeChannelNames) {
      const [domain, action] = splitChannel(channel)
      const seen: string[] = []
      const original = fake.electron.ipcRenderer.invoke
      fake.electron.ipcRenderer.invoke = async (c: string, ...args: unknown[]) => {
        seen.push(c)
        return original(c, ...args)
      }
      try {
        await api[domain]![action]!().catch(() => undefined)
      } finally {
        fake.electron.ipcRenderer.invoke = original
      }
      expect(seen).toEqual([channel])
    }
  })

  it('subscriptions receive only the payload and return an unsubscribe function', () => {
    for (const channel of eventChannelNames) {
      const [domain] = splitChannel(channel)
      const got: unknown[] = []
      const off = (api[domain]![eventMethodName(channel)] as unknown as (cb: (p: unknown) => void) => () => void)((p) => got.push(p))
      fake.emitToRenderer(channel, { n: 1 })
      expect(got).toEqual([{ n: 1 }])
      off()
      fake.emitToRenderer(channel, { n: 2 })
      expect(got).toEqual([{ n: 1 }])
      expect(fake.rendererListeners.get(channel)?.size ?? 0).toBe(0)
    }
  })
})

describe('teardown', () => {
  it('registerIpc returns a function that removes every handler again', () => {
    unregister()
    expect(fake.handlers.size).toBe(0)
  })
})
