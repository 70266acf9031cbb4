/**
 * Remembers the main window's size, position and maximized state across launches in
 * `<userData>/window-state.json`. The file is untrusted input: it is validated, and bounds that no
 * longer fit on any display (a monitor was unplugged) are dropped, so the window never opens off-screen.
 * Electron-free: index.ts passes the displays' work areas and a window-like object.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { MIN_WINDOW_SIZE } from './window-options'

export const WINDOW_STATE_FILE = 'window-state.json'

const rect = z.object({
  x: z.number().int().min(-100_000).max(100_000),
  y: z.number().int().min(-100_000).max(100_000),
  width: z.number().int().min(MIN_WINDOW_SIZE.width).max(100_000),
  height: z.number().int().min(MIN_WINDOW_SIZE.height).max(100_000)
})
export type Rect = z.infer<typeof rect>

const windowState = z.object({ bounds: rect, maximized: z.boolean() })
export type WindowState = z.infer<typeof windowState>

/** Smallest part of the title bar region (px) that must lie on a display for the position to be kept. */
const MIN_VISIBLE_PX = 64

function overlap(a: Rect, b: Rect): { w: number; h: number } {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return { w: Math.max(0, w), h: Math.max(0, h) }
}

/**
 * Keeps the saved bounds if the window's top strip is visible on some display; otherwise keeps only
 * the size (clamped to the largest work area) and lets the OS place the window.
 */
export function fitToDisplays(saved: Rect, workAreas: readonly Rect[]): Partial<Rect> {
  const titleStrip: Rect = { x: saved.x, y: saved.y, width: saved.width, height: Math.min(saved.height, 32) }
  const visible = workAreas.some((wa) => {
    const o = overlap(titleStrip, wa)
    return o.w >= Math.min(MIN_VISIBLE_PX, saved.width) && o.h > 0
  })
  if (visible) return saved
  const maxW = Math.max(MIN_WINDOW_SIZE.width, ...workAreas.map((w) => w.width))
  const maxH = Math.max(MIN_WINDOW_SIZE.height, ...workAreas.map((w) => w.height))
  return { width: Math.min(saved.width, maxW), height: Math.min(saved.height, maxH) }
}

/** Reads the saved state; undefined when missing, unreadable or malformed (never throws). */
export function loadWindowState(file: string): WindowState | undefined {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
  const parsed = windowState.safeParse(raw)
  return parsed.success ? parsed.data : undefined
}

/** Writes atomically (temp file + rename), so a crash mid-write leaves the previous state intact. */
export function saveWindowState(file: string, state: WindowState): void {
  const parsed = windowState.parse({
    bounds: {
      x: Math.round(state.bounds.x),
      y: Math.round(state.bounds.y),
      width: Math.round(state.bounds.width),
      height: Math.round(state.bounds.height)
    },
    maximized: state.maximized
  })
  mkdirSync(dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(parsed, null, 2) + '\n')
  renameSync(tmp, file)
}

/** The parts of a BrowserWindow the tracker uses. */
export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'close', listener: () => void): unknown
  getNormalBounds(): Rect
  isMaximized(): boolean
  isDestroyed(): boolean
}

/**
 * Saves the window's state when it is moved or resized (debounced) and when it closes. Normal (not
 * maximized) bounds are stored, so un-maximizing after a restart returns to the user's size.
 */
export function trackWindowState(win: TrackedWindow, file: string, debounceMs = 500): () => void {
  let timer: NodeJS.Timeout | undefined
  const save = (): void => {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (win.isDestroyed()) return
    try {
      saveWindowState(file, { bounds: win.getNormalBounds(), maximized: win.isMaximized() })
    } catch (err) {
      console.warn(`window-state: could not save ${file}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  const later = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(save, debounceMs)
  }
  win.on('resize', later)
  win.on('move', later)
  win.on('close', save)
  return save
}
