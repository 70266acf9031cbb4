/**
 * The code that creates the main window, and the rules for what it may load, kept free of any runtime
 * Electron import so tests call it with a fake BrowserWindow and read exactly what the app uses.
 *
 * Follows Electron's security checklist (docs/tutorial/security.md): context isolation, sandboxed
 * renderer, no Node integration anywhere, web security on, no insecure content, no experimental
 * features, no <webview>, middle-click new windows disabled, a strict CSP, and only the app's own page
 * (or the electron-vite dev server in development) is ever loaded. The options are written as literals
 * inside `new BrowserWindow({...})` on purpose: the static security linter (electronegativity) can only
 * see literal values at the construction site.
 */
import { fileURLToPath } from 'node:url'
import { isAbsolute, relative } from 'node:path'
import type { BrowserWindow as ElectronBrowserWindow, Rectangle } from 'electron'

/**
 * The renderer's Content-Security-Policy. Sent as a response header for the dev server and mirrored by
 * the <meta> tag in src/renderer/index.html for file:// loads (a test keeps the two in step).
 * `style-src 'unsafe-inline'` is needed by chart tooltips that carry inline style attributes; scripts
 * are 'self' only (no eval, no inline script).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

export const MIN_WINDOW_SIZE = { width: 900, height: 600 } as const
export const DEFAULT_WINDOW_SIZE = { width: 1400, height: 900 } as const

export interface MainWindowInit {
  /** Absolute path of the built preload script (out/preload/index.js). */
  preloadPath: string
  /** Restored size and position, if any (see window-state.ts). */
  bounds?: Partial<Rectangle>
}

/**
 * Creates the one main window. `BrowserWindow` is Electron's class in the app and a recording fake in
 * tests; the options object is the whole security posture of the renderer.
 */
export function createMainWindow(BrowserWindow: typeof ElectronBrowserWindow, init: MainWindowInit): ElectronBrowserWindow {
  return new BrowserWindow({
    width: init.bounds?.width ?? DEFAULT_WINDOW_SIZE.width,
    height: init.bounds?.height ?? DEFAULT_WINDOW_SIZE.height,
    ...(init.bounds?.x !== undefined && init.bounds?.y !== undefined ? { x: init.bounds.x, y: init.bounds.y } : {}),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'eCS Lab',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: init.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false
    }
  })
}

/** Where the renderer comes from: the built file in production, the dev server under `electron-vite dev`. */
export interface RendererOrigin {
  /** Absolute path of out/renderer/index.html. */
  rendererFile: string
  /** `ELECTRON_RENDERER_URL`, honoured only when the app is not packaged. */
  devServerUrl?: string
}

function parseUrl(url: string | undefined): URL | undefined {
  if (!url) return undefined
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

function filePathOf(url: URL): string | undefined {
  try {
    return fileURLToPath(url)
  } catch {
    return undefined
  }
}

/**
 * True only for the app's own page: exactly out/renderer/index.html (any hash or query), or a page of
 * the dev server's origin in development. Used for the IPC sender check and for navigation.
 */
export function isAppPageUrl(url: string | undefined, origin: RendererOrigin): boolean {
  const u = parseUrl(url)
  if (!u) return false
  if (origin.devServerUrl) {
    const dev = parseUrl(origin.devServerUrl)
    return !!dev && (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === dev.origin
  }
  if (u.protocol !== 'file:' || u.host !== '') return false
  const path = filePathOf(u)
  return path !== undefined && samePath(path, origin.rendererFile)
}

function samePath(a: string, b: string): boolean {
  const rel = relative(b, a)
  return rel === ''
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/**
 * "No remote content": the only requests the session lets through are the app's own files (inside
 * the renderer folder), inline data/blob URLs and DevTools; in development also the dev server's
 * origin (including its HMR websocket). Everything else, every http(s) host on the internet included,
 * is cancelled.
 */
export function isAllowedRequestUrl(url: string, origin: RendererOrigin & { rendererDir: string }): boolean {
  const u = parseUrl(url)
  if (!u) return false
  switch (u.protocol) {
    case 'data:':
    case 'blob:':
    case 'devtools:':
      return true
    case 'file:': {
      if (u.host !== '') return false
      const path = filePathOf(u)
      return path !== undefined && isInside(path, origin.rendererDir)
    }
    case 'http:':
    case 'https:':
    case 'ws:':
    case 'wss:': {
      const dev = parseUrl(origin.devServerUrl)
      return !!dev && u.hostname === dev.hostname && u.port === dev.port
    }
    default:
      return false
  }
}

/** Every permission (camera, notifications, clipboard-read, geolocation, ...) is refused: the app needs none. */
export function denyAllPermissions(): false {
  return false
}
