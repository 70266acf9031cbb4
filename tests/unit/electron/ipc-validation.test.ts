/**
 * Argument validation and the sender check, end to end through the real preload and the real main
 * wiring (fake Electron in between): a malformed call is rejected with a clear, plain-object error
 * before any handler runs (so it changes nothing), a call from anywhere but the app's own top frame
 * is refused, and errors are rebuilt into Errors on the renderer side with name and code intact.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { z } from 'zod'
import { invokeChannelNames, invokeChannels, type Handlers } from '../../../src/shared/ipc'
import { makeSenderCheck } from '../../../src/main/ipc/sender'
import { FakeWebContents, sharedFake } from './fake-electron'

vi.mock('electron', async () => (await import('./fake-electron')).sharedFake().electron)

const fake = sharedFake()
const mainContents = new FakeWebContents()
const APP_PAGE = 'file:///opt/ecs-lab/out/renderer/index.html'
const trustedEvent = { sender: mainContents, senderFrame: { url: APP_PAGE, parent: null } }

const calls: string[] = []
const handlers = Object.fromEntries(
  invokeChannelNames.map((c) => [
    c,
    vi.fn(async (...args: unknown[]) => {
      calls.push(c)
      if (c === 'app:info') throw Object.assign(new Error('disk on fire'), { code: 'internal', name: 'StoreError' })
      return { echoed: args }
    })
  ])
) as unknown as Handlers

type Api = Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>
let api: Api

beforeAll(async () => {
  const { registerIpc } = await import('../../../src/main/ipc/register')
  registerIpc({ handlers }, makeSenderCheck({ isAppPage: (u) => u === APP_PAGE, mainWebContents: () => mainContents as never }))
  fake.fakeTrustedEvent.current = trustedEvent
  Object.defineProperty(process, 'contextIsolated', { value: true, configurable: true })
  await import('../../../src/preload/index')
  api = fake.exposed[0]!.api as Api
})

beforeEach(() => {
  calls.length = 0
  fake.fakeTrustedEvent.current = trustedEvent
})

function invokeRaw(channel: string, event: unknown, ...args: unknown[]) {
  return fake.handlers.get(channel)!(event, ...args) as Promise<{ ok: boolean; error?: unknown; value?: unknown }>
}

describe('a malformed call gets a clear error and changes nothing', () => {
  const bad: Array<[string, unknown[], RegExp]> = [
    ['wrong type', [{ preset: 5 }], /sim:runQuick: invalid arguments: args\.0\.preset: .*expected string/i],
    ['unknown key', [{ preset: 'small', rm: '-rf /' }], /args\.0: .*unrecognized key.*rm/i],
    ['missing argument', [], /sim:runQuick: invalid arguments: args: .*too small/i],
    ['extra argument', [{ preset: 'small' }, 'extra'], /sim:runQuick: invalid arguments/],
    ['out of range', [{ preset: 'small', seed: -1 }], /args\.0\.seed/]
  ]
  for (const [what, args, message] of bad) {
    it(`sim:runQuick with ${what}`, async () => {
      const env = await invokeRaw('sim:runQuick', trustedEvent, ...args)
      expect(env.ok).toBe(false)
      expect(env.error).toMatchObject({ name: 'ValidationError', code: 'invalid-argument' })
      expect((env.error as { message: string }).message).toMatch(message)
      // A plain, structured-clone-able object: no prototype, no stack, nothing else.
      expect(Object.getPrototypeOf(env.error)).toBe(Object.prototype)
      expect(Object.keys(env.error as object).sort()).toEqual(['code', 'message', 'name'])
      expect(calls).toEqual([])
    })
  }

  it('every channel rejects one argument more than its schema allows, before its handler runs', async () => {
    for (const channel of invokeChannelNames) {
      const tuple = invokeChannels[channel].args as z.ZodTuple
      if (tuple._zod.def.rest) continue
      const n = tuple._zod.def.items.length
      const env = await invokeRaw(channel, trustedEvent, ...Array.from({ length: n + 1 }, () => ({ junk: true })))
      expect(env, channel).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    }
    expect(calls).toEqual([])
  })

  it('the preload turns the envelope back into a thrown Error with name and code', async () => {
    const err = await api.sim!.runQuick!({ preset: 42 }).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(Error)
    expect(err).toMatchObject({ name: 'ValidationError', code: 'invalid-argument' })
    expect(calls).toEqual([])
  })

  it('a well-formed call reaches its handler with the parsed arguments', async () => {
    await expect(api.sim!.runQuick!({ preset: 'small', seed: 7 })).resolves.toEqual({ echoed: [{ preset: 'small', seed: 7 }] })
    expect(calls).toEqual(['sim:runQuick'])
  })

  it("a handler's own error crosses as {name, message, code}", async () => {
    const env = await invokeRaw('app:info', trustedEvent)
    expect(env).toEqual({ ok: false, error: { name: 'StoreError', message: 'disk on fire', code: 'internal' } })
  })
})

describe('every handler checks the sender frame', () => {
  const other = new FakeWebContents()
  const untrusted: Array<[string, unknown]> = [
    ['an iframe inside the app page', { sender: mainContents, senderFrame: { url: APP_PAGE, parent: { url: APP_PAGE } } }],
    ['a page that navigated elsewhere', { sender: mainContents, senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a look-alike file path', { sender: mainContents, senderFrame: { url: 'file:///tmp/evil/out/renderer/index.html', parent: null } }],
    ['another webContents showing the app page', { sender: other, senderFrame: { url: APP_PAGE, parent: null } }],
    ['a destroyed frame', { sender: mainContents, senderFrame: null }]
  ]
  for (const [what, event] of untrusted) {
    it(`refuses ${what} on every channel, without running a handler`, async () => {
      for (const channel of invokeChannelNames) {
        const env = await invokeRaw(channel, event)
        expect(env, channel).toEqual({ ok: false, error: { name: 'SecurityError', message: 'untrusted sender', code: 'forbidden' } })
      }
      expect(calls).toEqual([])
    })
  }
})

describe('makeSenderCheck', () => {
  const check = makeSenderCheck({ isAppPage: (u) => u === APP_PAGE, mainWebContents: () => mainContents as never })
  it('accepts only the main window top frame on the app page', () => {
    expect(check(trustedEvent as never)).toBe(true)
  })
  it('refuses everything while there is no main window', () => {
    const none = makeSenderCheck({ isAppPage: () => true, mainWebContents: () => undefined })
    expect(none(trustedEvent as never)).toBe(false)
  })
})
