/**
 * Electron main process: the thin shell. It owns the one window and the app's lifecycle and wires the
 * typed IPC contract to the Electron-free services; every decision worth testing lives in a plain
 * module next to it (window-options, window-state, menu, links, native-binding, ipc/sender) so it runs
 * under vitest without Electron.
 *
 * Lifecycle: single-instance lock -> ready -> harden the session -> pick the better-sqlite3 binary ->
 * services -> IPC -> menu -> window. On quit, `before-quit` is held until services.close() has
 * cancelled running simulations and closed the database.
 */
import { app, BrowserWindow, dialog, Menu, screen, session, shell, type WebContents } from 'electron'
import { join } from 'node:path'
import createSimWorker from './sim-host/sim-worker?nodeWorker'
import { createServices, type Services } from './services'
import { APP_NAME, DB_FILE_NAME } from './store/paths'
import { registerIpc } from './ipc/register'
import { makeSenderCheck } from './ipc/sender'
import { sendToRenderer } from './ipc/typed'
import { buildMenuTemplate } from './menu'
import { openExternalLink } from './links'
import { configureNativeBinding, selectNativeBinding } from './native-binding'
import { fitToDisplays, loadWindowState, trackWindowState, WINDOW_STATE_FILE } from './window-state'
import {
  CONTENT_SECURITY_POLICY,
  createMainWindow,
  denyAllPermissions,
  isAllowedRequestUrl,
  isAppPageUrl,
  type RendererOrigin
} from './window-options'

/** How long quitting waits for services.close() (running simulations, database) before giving up. */
const SHUTDOWN_TIMEOUT_MS = 10_000

const rendererDir = join(__dirname, '../renderer')
const origin: RendererOrigin & { rendererDir: string } = {
  rendererFile: join(rendererDir, 'index.html'),
  rendererDir,
  // The dev server is trusted only in development (electron-vite dev sets the variable).
  ...(!app.isPackaged && process.env['ELECTRON_RENDERER_URL'] ? { devServerUrl: process.env['ELECTRON_RENDERER_URL'] } : {})
}

let mainWindow: BrowserWindow | undefined
let services: Services | undefined
let unregisterIpc: (() => void) | undefined
let shutdownState: 'running' | 'closing' | 'closed' = 'running'

const isAppPage = (url: string | undefined): boolean => isAppPageUrl(url, origin)

/** Applied to every webContents the app ever creates: no navigation away, no new windows, no <webview>. */
function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalLink(shell, url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event, url) => {
    if (isAppPage(url)) return
    event.preventDefault()
    void openExternalLink(shell, url)
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppPage(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

function hardenSession(): void {
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(denyAllPermissions()))
  ses.setPermissionCheckHandler(() => denyAllPermissions())
  ses.setDevicePermissionHandler(() => denyAllPermissions())
  // No remote content: only the app's files (and the dev server in development) are fetched.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequestUrl(details.url, origin)
    if (!allowed) console.warn(`security: blocked request to ${details.url.slice(0, 200)}`)
    callback({ cancel: !allowed })
  })
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
}

function createWindow(): void {
  const stateFile = join(app.getPath('userData'), WINDOW_STATE_FILE)
  const saved = loadWindowState(stateFile)
  const bounds = saved ? fitToDisplays(saved.bounds, screen.getAllDisplays().map((d) => d.workArea)) : undefined
  const win = createMainWindow(BrowserWindow, { preloadPath: join(__dirname, '../preload/index.js'), ...(bounds ? { bounds } : {}) })
  mainWindow = win
  if (saved?.maximized) win.maximize()
  trackWindowState(win, stateFile)
  win.once('ready-to-show', () => win.show())
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined
  })
  if (origin.devServerUrl) void win.loadURL(origin.devServerUrl)
  else void win.loadFile(origin.rendererFile)
}

function focusMainWindow(): void {
  if (!mainWindow) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
}

async function onReady(): Promise<void> {
  hardenSession()

  const nativeBinding = selectNativeBinding({
    runtime: { electron: process.versions.electron, modules: process.versions.modules, platform: process.platform, arch: process.arch },
    appRoot: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    isPackaged: app.isPackaged
  })
  configureNativeBinding(nativeBinding)
  if (nativeBinding.kind === 'missing') {
    console.error(`native: ${nativeBinding.message}`)
    dialog.showErrorBox('eCS Lab: database engine missing', nativeBinding.message)
  }

  // Same precedence as the CLI (store/paths.ts): ECS_LAB_DB, else the store in the user-data folder.
  const envDb = process.env['ECS_LAB_DB']
  services = createServices({
    host: 'electron',
    workerFactory: () => createSimWorker({}),
    emit: (channel, payload) => sendToRenderer(mainWindow?.webContents, channel, payload),
    dbPath: envDb && envDb.trim() !== '' ? envDb : join(app.getPath('userData'), DB_FILE_NAME),
    log: (level, message) => console[level](`services: ${message}`)
  })
  unregisterIpc = registerIpc(services, makeSenderCheck({ isAppPage, mainWebContents: () => mainWindow?.webContents }))

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: process.platform,
        onAction: (action) => sendToRenderer(mainWindow?.webContents, 'app:menu', { action }),
        openLink: (url) => void openExternalLink(shell, url)
      })
    )
  )
  createWindow()
}

/** Cancels or finishes running simulations and closes the database, bounded by SHUTDOWN_TIMEOUT_MS. */
async function shutdown(): Promise<void> {
  unregisterIpc?.()
  unregisterIpc = undefined
  // Promise.resolve().then(): a close() that throws synchronously still ends in the catch below.
  const closing = Promise.resolve().then(() => services?.close())
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), SHUTDOWN_TIMEOUT_MS)
  })
  try {
    const outcome = await Promise.race([closing.then(() => 'closed' as const), timeout])
    if (outcome === 'timeout') console.error(`shutdown: services did not close within ${SHUTDOWN_TIMEOUT_MS} ms; quitting anyway`)
  } catch (err) {
    console.error(`shutdown: ${err instanceof Error ? err.message : String(err)}`)
  } finally {
    clearTimeout(timer)
  }
}

// The user-data folder holds the store (shared with the CLI, see store/paths.ts) and the window state.
// It must be fixed before the single-instance lock, which is keyed on it.
app.setPath('userData', join(app.getPath('appData'), APP_NAME))
// Every renderer is sandboxed, whatever its webPreferences say (must precede 'ready').
app.enableSandbox()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', focusMainWindow)
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))
  app.on('window-all-closed', () => app.quit())
  app.on('activate', () => {
    if (!mainWindow && app.isReady() && shutdownState === 'running') createWindow()
  })
  app.on('before-quit', (event) => {
    if (shutdownState === 'closed') return
    event.preventDefault()
    if (shutdownState === 'closing') return
    shutdownState = 'closing'
    void shutdown().finally(() => {
      shutdownState = 'closed'
      app.quit()
    })
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())

  app
    .whenReady()
    .then(onReady)
    .catch((err: unknown) => {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err)
      console.error(`eCS Lab failed to start: ${message}`)
      dialog.showErrorBox('eCS Lab failed to start', message)
      app.exit(1)
    })
}
