/**
 * What electron-vite actually emits for the Electron side (built into a temporary folder): the
 * sandboxed preload may require nothing but `electron` (a sandboxed preload cannot load npm packages,
 * so zod and the contract must be bundled in), and main keeps better-sqlite3 external so the
 * runtime-selected native binary is used.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '../../..')
let out: string

function requires(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/\brequire\((["'])([^"']+)\1\)/g)].map((m) => m[2]!)
}

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'ecs-build-'))
  const bin = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  // Main and preload are built before the renderer; only their output is inspected here.
  spawnSync(process.execPath, [bin, 'build', '--outDir', out, '--logLevel', 'error'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
}, 180_000)

describe('built preload', () => {
  it('requires only electron', () => {
    const file = join(out, 'preload', 'index.js')
    expect(existsSync(file), 'out/preload/index.js was built').toBe(true)
    expect([...new Set(requires(file))]).toEqual(['electron'])
  })

  it('exposes window.api and never ipcRenderer itself', () => {
    const src = readFileSync(join(out, 'preload', 'index.js'), 'utf8')
    expect(src).toMatch(/exposeInMainWorld\(\s*["']api["']/)
    expect(src).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/)
    expect(src).not.toMatch(/ipcRenderer\.send\(/)
  })
})

describe('built renderer page', () => {
  it('keeps the CSP meta tag and loads only local scripts (no inline script, nothing remote)', () => {
    const html = readFileSync(join(out, 'renderer', 'index.html'), 'utf8')
    expect(html).toMatch(/<meta\s+http-equiv="Content-Security-Policy"\s+content="default-src 'none'/)
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\ssrc="\.\/assets\//)
      expect(body!.trim()).toBe('')
    }
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)
  })
})

describe('built main', () => {
  it('keeps better-sqlite3 and electron external and ships the simulation worker', () => {
    const file = join(out, 'main', 'index.js')
    expect(existsSync(file), 'out/main/index.js was built').toBe(true)
    const deps = requires(file)
    expect(deps).toContain('electron')
    expect(deps).toContain('better-sqlite3')
    const chunks = readdirSync(join(out, 'main', 'chunks'))
    expect(chunks.some((f) => /worker/.test(f))).toBe(true)
  })
})
