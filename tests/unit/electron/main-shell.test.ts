/**
 * src/main/index.ts itself, run against a fake Electron: the order of the lifecycle (user-data path
 * before the single-instance lock), the hardened session (permissions denied, remote requests
 * cancelled, CSP header), hardening of every webContents (no navigation away, no new windows, no
 * <webview>, links only via the allow-list), the menu's app actions reaching the renderer as typed
 * events, and a quit that waits for services.close().
 */
import { join } from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { invokeChannelNames } from '../../../src/shared/ipc'
import { CONTENT_SECURITY_POLICY } from '../../../src/main/window-options'
import { FakeWebContents, sharedFake } from './fake-electron'

vi.mock('electron', async () => (await import('./fake-electron')).sharedFake().electron)
vi.mock('../../../src/main/sim-host/sim-worker?nodeWorker', () => ({ default: vi.fn() }))

const closeGate: { release: () => void } = { release: () => {} }
const services = vi.hoisted(() => ({ created: [] as unknown[], closed: 0 }))
vi.mock('../../../src/main/services', () => ({
  createServices: (opts: unknown) => {
    services.created.push(opts)
    return {
      handlers: {},
      close: () =>
        new Promise<void>((resolve) => {
          services.closed++
          closeGate.release = resolve
        })
    }
  }
}))

const fake = sharedFake()
const flush = () => new Promise((r) => setTimeout(r, 0))

const signalListeners: Partial<Record<'SIGINT' | 'SIGTERM', number>> = {}

beforeAll(async () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') }
  await import('../../../src/main/index')
  // index.ts quits the app on SIGINT/SIGTERM; the fake quit does not exit, so take those listeners off
  // this test process again (it must stay killable).
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    const added = process.listeners(sig).filter((l) => !before[sig].includes(l))
    signalListeners[sig] = added.length
    for (const l of added) process.removeListener(sig, l)
  }
  fake.electron.app.fireReady()
  await flush()
})

describe('lifecycle', () => {
  it('fixes the user-data folder (shared with the CLI) before taking the single-instance lock', () => {
    expect(fake.calls.indexOf('setPath:userData')).toBeGreaterThanOrEqual(0)
    expect(fake.calls.indexOf('setPath:userData')).toBeLessThan(fake.calls.indexOf('requestSingleInstanceLock'))
    expect(fake.electron.app.getPath('userData')).toBe(join('/fake/appData', 'ecs-lab'))
  })

  it('sandboxes every renderer process-wide before ready', () => {
    expect(fake.calls).toContain('enableSandbox')
  })

  it('creates one window, from the built renderer file, with the preload next to main', () => {
    expect(fake.windows).toHaveLength(1)
    const w = fake.windows[0]!
    expect((w.options['webPreferences'] as { preload: string }).preload).toMatch(/preload[/\\]index\.js$/)
    expect(w.loaded).toMatch(/^file:.*renderer[/\\]index\.html$/)
  })

  it('wires every contract channel behind the sender check and starts the services in electron mode', () => {
    expect([...fake.handlers.keys()].sort()).toEqual([...invokeChannelNames].sort())
    expect(services.created).toEqual([expect.objectContaining({ host: 'electron' })])
  })

  it('opens the store in the user-data folder (or ECS_LAB_DB), like the CLI', () => {
    const expected = process.env['ECS_LAB_DB']?.trim() ? process.env['ECS_LAB_DB'] : join('/fake/appData', 'ecs-lab', 'ecs-lab.sqlite')
    expect(services.created[0]).toMatchObject({ dbPath: expected })
  })

  it('quits cleanly (through before-quit) on SIGINT and SIGTERM', () => {
    expect(signalListeners).toEqual({ SIGINT: 1, SIGTERM: 1 })
  })

  it('focuses the existing window when a second instance starts', () => {
    expect(fake.electron.app.listenerCount('second-instance')).toBe(1)
  })
})

describe('session', () => {
  it('denies every permission request and check', () => {
    const granted: boolean[] = []
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      fake.session.permissionRequestHandler!({}, p, (g) => granted.push(g))
      expect(fake.session.permissionCheckHandler!({}, p)).toBe(false)
    }
    expect(granted.every((g) => g === false)).toBe(true)
    expect(fake.session.devicePermissionHandler!({})).toBe(false)
  })

  it('cancels remote requests and lets the app files through', () => {
    const decide = (url: string) => {
      let cancel: boolean | undefined
      fake.session.beforeRequest!({ url }, (r) => (cancel = r.cancel))
      return cancel
    }
    expect(decide('https://example.com/tracker.js')).toBe(true)
    expect(decide('file:///etc/passwd')).toBe(true)
    const page = fake.windows[0]!.loaded!.replace(/^file:/, '')
    expect(decide(new URL(`file://${page.replace(/\\/g, '/')}`).href.replace('index.html', 'assets/app.js'))).toBe(false)
  })

  it('adds the CSP header to every response', () => {
    let headers: Record<string, string[]> = {}
    fake.session.headersReceived!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (headers = r.responseHeaders))
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] })
  })
})

describe('every webContents is hardened', () => {
  const contents = new FakeWebContents()
  beforeAll(() => {
    fake.electron.app.emit('web-contents-created', {}, contents)
  })

  it('denies new windows, opening only allow-listed https links in the browser', async () => {
    expect(contents.windowOpenHandler!({ url: 'https://www.usenix.org/conference/atc18' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler!({ url: 'file:///bin/sh' })).toEqual({ action: 'deny' })
    await flush()
    expect(fake.opened).toEqual(['https://www.usenix.org/conference/atc18'])
  })

  it('blocks navigation away from the app page and every <webview>', () => {
    const prevented: string[] = []
    const ev = (name: string) => ({ preventDefault: () => prevented.push(name) })
    contents.emit('will-navigate', ev('navigate'), 'https://evil.example/')
    contents.emit('will-redirect', ev('redirect'), 'https://evil.example/')
    contents.emit('will-attach-webview', ev('webview'), {}, {})
    expect(prevented).toEqual(['navigate', 'redirect', 'webview'])
  })

  it('lets the app page reload itself', () => {
    const prevented: string[] = []
    const url = new URL(`file://${fake.windows[0]!.loaded!.replace(/^file:/, '').replace(/\\/g, '/')}`).href
    contents.emit('will-navigate', { preventDefault: () => prevented.push('x') }, url)
    expect(prevented).toEqual([])
  })
})

describe('application menu', () => {
  it('sends app actions to the renderer as typed app:menu events', () => {
    const menu = fake.menus[0] as { template: Array<{ submenu?: Array<{ id?: string; click?: () => void }> }> }
    const quickRun = menu.template.flatMap((m) => m.submenu ?? []).find((i) => i.id === 'run:quick')!
    quickRun.click!()
    expect(fake.windows[0]!.webContents.sent).toEqual([{ channel: 'app:menu', payload: { action: 'run:quick' } }])
  })
})

describe('quit', () => {
  it('holds the quit until services.close() resolves, then quits for real', async () => {
    const app = fake.electron.app
    const prevented: number[] = []
    app.emit('before-quit', { preventDefault: () => prevented.push(1) })
    await flush()
    expect(prevented).toHaveLength(1)
    expect(services.closed).toBe(1)
    // A second quit request while closing is held too, and does not close twice.
    app.emit('before-quit', { preventDefault: () => prevented.push(2) })
    expect(prevented).toEqual([1, 2])
    const quitsBefore = app.quitCalls
    closeGate.release()
    await flush()
    await flush()
    expect(app.quitCalls).toBe(quitsBefore + 1)
    expect(services.closed).toBe(1)
    // The final before-quit passes through.
    app.emit('before-quit', { preventDefault: () => prevented.push(3) })
    expect(prevented).toEqual([1, 2])
    // IPC handlers are gone once shutdown started.
    expect(fake.handlers.size).toBe(0)
  })
})
