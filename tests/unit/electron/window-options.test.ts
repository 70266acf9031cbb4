/**
 * The renderer's security posture, read from the code that creates the window: the options passed
 * to `new BrowserWindow`, the Content-Security-Policy (header and <meta>), which URLs count as the
 * app's own page, and which requests the session lets through.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  CONTENT_SECURITY_POLICY,
  MIN_WINDOW_SIZE,
  createMainWindow,
  denyAllPermissions,
  isAllowedRequestUrl,
  isAppPageUrl
} from '../../../src/main/window-options'

const ROOT = resolve(__dirname, '../../..')

class RecordingWindow {
  static last: Record<string, unknown> | undefined
  constructor(options: Record<string, unknown>) {
    RecordingWindow.last = options
  }
}

function windowOptions(bounds?: Record<string, number>) {
  createMainWindow(RecordingWindow as never, { preloadPath: '/app/out/preload/index.js', ...(bounds ? { bounds } : {}) })
  return RecordingWindow.last!
}

describe('main window options', () => {
  it('sandboxes and isolates the renderer, with no Node anywhere', () => {
    expect(windowOptions()['webPreferences']).toEqual({
      preload: '/app/out/preload/index.js',
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
    })
  })

  it('stays hidden until ready-to-show, with a minimum size', () => {
    const o = windowOptions()
    expect(o['show']).toBe(false)
    expect(o['minWidth']).toBe(MIN_WINDOW_SIZE.width)
    expect(o['minHeight']).toBe(MIN_WINDOW_SIZE.height)
  })

  it('applies restored bounds; position only when both x and y are known', () => {
    expect(windowOptions({ x: 5, y: 6, width: 1000, height: 700 })).toMatchObject({ x: 5, y: 6, width: 1000, height: 700 })
    const sizeOnly = windowOptions({ width: 1000, height: 700 })
    expect(sizeOnly).toMatchObject({ width: 1000, height: 700 })
    expect(sizeOnly).not.toHaveProperty('x')
  })

  it('is the only place in src/main that constructs a BrowserWindow, and index.ts uses it', () => {
    const files: string[] = []
    const walk = (d: string): void => {
      for (const f of readdirSync(d)) {
        const p = join(d, f)
        if (statSync(p).isDirectory()) walk(p)
        else if (p.endsWith('.ts')) files.push(p)
      }
    }
    walk(join(ROOT, 'src/main'))
    const constructing = files.filter((f) => /new\s+BrowserWindow\s*\(/.test(readFileSync(f, 'utf8'))).map((f) => f.slice(ROOT.length + 1))
    expect(constructing).toEqual(['src/main/window-options.ts'])
    expect(readFileSync(join(ROOT, 'src/main/index.ts'), 'utf8')).toMatch(/createMainWindow\(BrowserWindow,/)
  })
})

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/)
        return [name!, values]
      })
  )
}

describe('Content-Security-Policy', () => {
  const csp = directives(CONTENT_SECURITY_POLICY)

  it('denies by default and allows scripts only from the app itself (no inline, no eval)', () => {
    expect(csp.get('default-src')).toEqual(["'none'"])
    expect(csp.get('script-src')).toEqual(["'self'"])
    expect(csp.get('object-src')).toEqual(["'none'"])
    expect(csp.get('base-uri')).toEqual(["'none'"])
    expect(csp.get('form-action')).toEqual(["'none'"])
    expect(csp.get('frame-ancestors')).toEqual(["'none'"])
    expect(csp.get('connect-src')).toEqual(["'self'"])
  })

  it('names no remote origin and no wildcard anywhere', () => {
    for (const [name, values] of csp) {
      for (const v of values) {
        expect(v, `${name} ${v}`).not.toMatch(/^(https?:|wss?:|\*|.*\.\w+$)/)
        expect(v, `${name} ${v}`).not.toMatch(/unsafe-eval|wasm-unsafe-eval/)
      }
    }
  })

  it('the <meta> tag in the renderer page carries the same policy (frame-ancestors is header-only)', () => {
    const html = readFileSync(join(ROOT, 'src/renderer/index.html'), 'utf8')
    const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)
    expect(m, 'index.html has a CSP meta tag').not.toBeNull()
    const meta = directives(m![1]!)
    const header = new Map(csp)
    header.delete('frame-ancestors')
    expect(Object.fromEntries(meta)).toEqual(Object.fromEntries(header))
  })
})

describe('what counts as the app page', () => {
  const rendererFile = resolve('/opt/eCS Lab/resources/app.asar/out/renderer/index.html')
  const page = pathToFileURL(rendererFile).href
  const prod = { rendererFile }
  const dev = { rendererFile, devServerUrl: 'http://localhost:5173/' }

  it.each([
    [page, true],
    [`${page}#/runs/3`, true],
    [`${page}?x=1`, true],
    ['file:///tmp/evil/out/renderer/index.html', false],
    [pathToFileURL(resolve('/opt/eCS Lab/resources/app.asar/out/renderer/other.html')).href, false],
    ['https://evil.example/', false],
    ['http://localhost:5173/', false],
    ['file://remote-host/opt/eCS%20Lab/resources/app.asar/out/renderer/index.html', false],
    ['not a url', false],
    ['', false]
  ])('production: %s -> %s', (url, ok) => {
    expect(isAppPageUrl(url, prod)).toBe(ok)
  })

  it.each([
    ['http://localhost:5173/', true],
    ['http://localhost:5173/#/compare', true],
    ['http://localhost:5174/', false],
    ['http://127.0.0.1:5173/', false],
    [page, false]
  ])('development: %s -> %s', (url, ok) => {
    expect(isAppPageUrl(url, dev)).toBe(ok)
  })
})

describe('no remote content', () => {
  const rendererDir = resolve('/opt/app/out/renderer')
  const origin = { rendererFile: join(rendererDir, 'index.html'), rendererDir }
  it.each([
    [pathToFileURL(join(rendererDir, 'assets/index-abc.js')).href, true],
    ['data:image/png;base64,AAAA', true],
    ['blob:file:///1234', true],
    ['devtools://devtools/bundled/inspector.html', true],
    ['file:///etc/passwd', false],
    [pathToFileURL(resolve(rendererDir, '../main/index.js')).href, false],
    ['https://cdn.example.com/lib.js', false],
    ['http://localhost:5173/@vite/client', false],
    ['ws://localhost:5173/', false],
    ['chrome-extension://abc/x.js', false]
  ])('production: %s -> %s', (url, ok) => {
    expect(isAllowedRequestUrl(url, origin)).toBe(ok)
  })

  it('in development also the dev server (and its HMR socket), nothing else', () => {
    const dev = { ...origin, devServerUrl: 'http://localhost:5173' }
    expect(isAllowedRequestUrl('http://localhost:5173/@vite/client', dev)).toBe(true)
    expect(isAllowedRequestUrl('ws://localhost:5173/', dev)).toBe(true)
    expect(isAllowedRequestUrl('https://fonts.example.com/x.woff2', dev)).toBe(false)
  })

  it('denies every permission', () => {
    expect(denyAllPermissions()).toBe(false)
  })
})
