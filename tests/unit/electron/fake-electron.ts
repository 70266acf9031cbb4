/**
 * A fake `electron` module for tests that drive main and preload code under plain Node: it records
 * what the code registers (ipcMain handlers, preload exposures, window options, session handlers,
 * app event listeners) and lets a test play the other side. Used with
 * `const fake = vi.hoisted(...)` + `vi.mock('electron', () => fake.electron)`.
 */
import { EventEmitter } from 'node:events'

export type InvokeListener = (event: unknown, ...args: unknown[]) => unknown

export class FakeWebContents extends EventEmitter {
  readonly sent: Array<{ channel: string; payload: unknown }> = []
  destroyed = false
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload })
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  setWindowOpenHandler(h: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h
  }
}

export function createFakeElectron() {
  const handlers = new Map<string, InvokeListener>()
  const rendererListeners = new Map<string, Set<(...a: unknown[]) => void>>()
  const exposed: Array<{ key: string; api: unknown }> = []
  const windows: FakeBrowserWindow[] = []
  const appEvents = new EventEmitter()
  const calls: string[] = []
  const session = {
    permissionRequestHandler: undefined as undefined | ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void),
    permissionCheckHandler: undefined as undefined | ((...a: unknown[]) => boolean),
    devicePermissionHandler: undefined as undefined | ((...a: unknown[]) => boolean),
    beforeRequest: undefined as undefined | ((details: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
    headersReceived: undefined as undefined | ((details: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void)
  }

  class FakeBrowserWindow extends EventEmitter {
    readonly options: Record<string, unknown>
    readonly webContents = new FakeWebContents()
    loaded: string | undefined
    maximized = false
    constructor(options: Record<string, unknown>) {
      super()
      this.options = options
      windows.push(this)
    }
    loadFile(p: string): Promise<void> {
      this.loaded = `file:${p}`
      return Promise.resolve()
    }
    loadURL(u: string): Promise<void> {
      this.loaded = u
      return Promise.resolve()
    }
    show(): void {}
    focus(): void {}
    restore(): void {}
    maximize(): void {
      this.maximized = true
    }
    isMinimized(): boolean {
      return false
    }
    isMaximized(): boolean {
      return this.maximized
    }
    isDestroyed(): boolean {
      return false
    }
    getNormalBounds() {
      return { x: 10, y: 10, width: 1200, height: 800 }
    }
  }

  let readyResolve: () => void = () => {}
  const ready = new Promise<void>((r) => {
    readyResolve = r
  })
  const paths = new Map<string, string>([['appData', '/fake/appData']])
  const app = Object.assign(appEvents, {
    isPackaged: false,
    singleInstanceLock: true,
    quitCalls: 0,
    getPath: (name: string) => paths.get(name) ?? `/fake/${name}`,
    setPath: (name: string, value: string) => {
      calls.push(`setPath:${name}`)
      paths.set(name, value)
    },
    getAppPath: () => '/fake/app',
    requestSingleInstanceLock: () => {
      calls.push('requestSingleInstanceLock')
      return app.singleInstanceLock
    },
    quit: () => {
      app.quitCalls++
      calls.push('quit')
    },
    exit: (code: number) => calls.push(`exit:${code}`),
    enableSandbox: () => calls.push('enableSandbox'),
    isReady: () => true,
    whenReady: () => ready,
    /** Test hook: fire 'ready'. */
    fireReady: () => readyResolve()
  })

  const menus: unknown[] = []
  const opened: string[] = []

  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (channel: string, fn: InvokeListener) => {
        if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
        handlers.set(channel, fn)
      },
      removeHandler: (channel: string) => handlers.delete(channel),
      on: () => {
        throw new Error('ipcMain.on is not part of the contract')
      }
    },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        const h = handlers.get(channel)
        if (!h) throw new Error(`No handler registered for '${channel}'`)
        // Loop back through a trusted event (what Electron gives main for the app's own page).
        return h(fakeTrustedEvent.current, ...structuredClone(args))
      },
      on: (channel: string, l: (...a: unknown[]) => void) => {
        if (!rendererListeners.has(channel)) rendererListeners.set(channel, new Set())
        rendererListeners.get(channel)!.add(l)
      },
      removeListener: (channel: string, l: (...a: unknown[]) => void) => {
        rendererListeners.get(channel)?.delete(l)
      },
      send: () => {
        throw new Error('ipcRenderer.send is not part of the contract')
      }
    },
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => exposed.push({ key, api })
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof session.permissionRequestHandler) => (session.permissionRequestHandler = h),
        setPermissionCheckHandler: (h: typeof session.permissionCheckHandler) => (session.permissionCheckHandler = h),
        setDevicePermissionHandler: (h: typeof session.devicePermissionHandler) => (session.devicePermissionHandler = h),
        webRequest: {
          onBeforeRequest: (h: typeof session.beforeRequest) => (session.beforeRequest = h),
          onHeadersReceived: (h: typeof session.headersReceived) => (session.headersReceived = h)
        }
      }
    },
    Menu: {
      buildFromTemplate: (t: unknown) => ({ template: t }),
      setApplicationMenu: (m: unknown) => menus.push(m)
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    shell: {
      openExternal: async (url: string) => {
        opened.push(url)
      }
    },
    dialog: { showErrorBox: (title: string, body: string) => calls.push(`errorBox:${title}:${body}`) }
  }

  const fakeTrustedEvent: { current: unknown } = { current: undefined }

  return {
    electron,
    handlers,
    rendererListeners,
    exposed,
    windows,
    session,
    menus,
    opened,
    calls,
    fakeTrustedEvent,
    /** Emit a main -> renderer event to the preload's listeners. */
    emitToRenderer(channel: string, payload: unknown) {
      for (const l of rendererListeners.get(channel) ?? []) l({ sender: 'ipc-event' }, payload)
    }
  }
}

export type FakeElectron = ReturnType<typeof createFakeElectron>

let shared: FakeElectron | undefined

/** One fake per test file (module registry): what `vi.mock('electron', ...)` returns and the test inspects. */
export function sharedFake(): FakeElectron {
  return (shared ??= createFakeElectron())
}
