/**
 * Electron main process: the thin shell. It creates the window, wires the typed IPC contract to the
 * Electron-free services, and shuts them down on quit. Everything else lives in services/ and runs
 * under plain Node too.
 */
import { app, BrowserWindow, session } from 'electron'
import { join } from 'node:path'
import createSimWorker from './sim-host/sim-worker?nodeWorker'
import { createServices, type Services } from './services'
import { registerIpc } from './ipc/register'
import { sendToRenderer } from './ipc/typed'
import { CONTENT_SECURITY_POLICY, webPreferences } from './window-options'

let mainWindow: BrowserWindow | undefined
let services: Services | undefined

const rendererUrl = process.env['ELECTRON_RENDERER_URL']

function isTrustedUrl(url: string | undefined): boolean {
  if (!url) return false
  if (rendererUrl && !app.isPackaged) return url.startsWith(rendererUrl)
  return url.startsWith('file://') && url.includes('/renderer/index.html')
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'eCS Lab',
    webPreferences: webPreferences(join(__dirname, '../preload/index.js'))
  })
  mainWindow.on('ready-to-show', () => mainWindow?.show())
  mainWindow.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  mainWindow.webContents.on('will-navigate', (e, url) => {
    if (!isTrustedUrl(url)) e.preventDefault()
  })
  if (rendererUrl && !app.isPackaged) void mainWindow.loadURL(rendererUrl)
  else void mainWindow.loadFile(join(__dirname, '../renderer/index.html'))
}

app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false))
  services = createServices({
    host: 'electron',
    workerFactory: () => createSimWorker({}),
    emit: (channel, payload) => sendToRenderer(mainWindow?.webContents, channel, payload)
  })
  registerIpc(services, (event) => isTrustedUrl(event.senderFrame?.url))
  createWindow()
})

app.on('window-all-closed', () => {
  app.quit()
})

app.on('will-quit', () => {
  void services?.close()
})
