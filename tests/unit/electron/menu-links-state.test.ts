/**
 * The Electron-free pieces of the shell: the application menu template, the openExternal allow-list,
 * and window size/position restore.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { EventEmitter } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { menuActions, type MenuAction } from '../../../src/shared/ipc/app'
import { buildMenuTemplate } from '../../../src/main/menu'
import { PAPER_URL, isAllowedExternalUrl, openExternalLink } from '../../../src/main/links'
import { fitToDisplays, loadWindowState, saveWindowState, trackWindowState } from '../../../src/main/window-state'

function flat(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flat(i.submenu) : [])])
}

describe('application menu', () => {
  for (const platform of ['darwin', 'linux', 'win32'] as const) {
    it(`${platform}: standard roles plus every app action exactly once`, () => {
      const actions: MenuAction[] = []
      const links: string[] = []
      const template = buildMenuTemplate({ platform, onAction: (a) => actions.push(a), openLink: (u) => links.push(u) })
      const items = flat(template)
      const roles = items.map((i) => i.role).filter(Boolean)
      expect(roles).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'help', 'reload', 'toggleDevTools', 'togglefullscreen']))
      expect(roles.includes('appMenu')).toBe(platform === 'darwin')
      const ids = items.map((i) => i.id).filter(Boolean)
      expect([...ids].sort()).toEqual([...menuActions].sort())
      for (const i of items) if (i.id) (i.click as () => void)()
      expect([...actions].sort()).toEqual([...menuActions].sort())
      const accelerators = items.map((i) => i.accelerator).filter(Boolean)
      expect(new Set(accelerators).size).toBe(accelerators.length)
      const paper = items.find((i) => i.label?.includes('Paper'))!
      ;(paper.click as () => void)()
      expect(links).toEqual([PAPER_URL])
    })
  }
})

describe('openExternal allow-list', () => {
  it.each([
    [PAPER_URL, true],
    ['https://github.com/some/repo', true],
    ['https://doi.org/10.5555/3277355.3277362', true],
    ['http://www.usenix.org/', false],
    ['https://www.usenix.org.evil.example/', false],
    ['https://evil.example/?https://www.usenix.org', false],
    ['https://user:pw@github.com/', false],
    ['https://github.com:8443/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://host/share', false],
    ['ms-msdt:/id', false],
    ['not a url', false]
  ])('%s -> %s', (url, ok) => {
    expect(isAllowedExternalUrl(url)).toBe(ok)
  })

  it('hands only allow-listed links to the OS', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const shell = { openExternal: vi.fn(async () => {}) }
    expect(await openExternalLink(shell, 'file:///bin/sh')).toBe(false)
    expect(await openExternalLink(shell, PAPER_URL)).toBe(true)
    expect(shell.openExternal.mock.calls).toEqual([[PAPER_URL]])
  })
})

describe('window state', () => {
  const display = { x: 0, y: 0, width: 1920, height: 1080 }
  afterEach(() => {
    vi.useRealTimers()
  })

  it('round-trips through the JSON file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ecs-ws-')), 'sub', 'window-state.json')
    saveWindowState(file, { bounds: { x: 100.4, y: 50, width: 1280, height: 800 }, maximized: true })
    expect(loadWindowState(file)).toEqual({ bounds: { x: 100, y: 50, width: 1280, height: 800 }, maximized: true })
  })

  it('ignores a missing, corrupt or hostile file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-ws-'))
    expect(loadWindowState(join(dir, 'none.json'))).toBeUndefined()
    writeFileSync(join(dir, 'bad.json'), '{not json')
    expect(loadWindowState(join(dir, 'bad.json'))).toBeUndefined()
    writeFileSync(join(dir, 'huge.json'), JSON.stringify({ bounds: { x: 0, y: 0, width: 1e9, height: 10 }, maximized: false }))
    expect(loadWindowState(join(dir, 'huge.json'))).toBeUndefined()
  })

  it('keeps a position that is still on a display, drops one that is not', () => {
    expect(fitToDisplays({ x: 100, y: 100, width: 1200, height: 800 }, [display])).toEqual({ x: 100, y: 100, width: 1200, height: 800 })
    // The monitor it was on is gone: keep the size, let the OS place it.
    expect(fitToDisplays({ x: 2500, y: 100, width: 1200, height: 800 }, [display])).toEqual({ width: 1200, height: 800 })
    expect(fitToDisplays({ x: 2500, y: 100, width: 3000, height: 2000 }, [display])).toEqual({ width: 1920, height: 1080 })
    expect(fitToDisplays({ x: 2500, y: 100, width: 1200, height: 800 }, [display, { x: 1920, y: 0, width: 2560, height: 1440 }])).toMatchObject({ x: 2500 })
  })

  it('saves after moves/resizes (debounced) and on close', () => {
    vi.useFakeTimers()
    const file = join(mkdtempSync(join(tmpdir(), 'ecs-ws-')), 'window-state.json')
    const win = Object.assign(new EventEmitter(), {
      bounds: { x: 1, y: 2, width: 1000, height: 700 },
      getNormalBounds() {
        return this.bounds
      },
      isMaximized: () => false,
      isDestroyed: () => false
    })
    trackWindowState(win, file, 500)
    win.emit('resize')
    win.emit('move')
    expect(loadWindowState(file)).toBeUndefined()
    vi.advanceTimersByTime(500)
    expect(loadWindowState(file)?.bounds).toEqual({ x: 1, y: 2, width: 1000, height: 700 })
    win.bounds = { x: 9, y: 9, width: 1100, height: 750 }
    win.emit('close')
    expect(JSON.parse(readFileSync(file, 'utf8')).bounds).toEqual({ x: 9, y: 9, width: 1100, height: 750 })
  })
})
