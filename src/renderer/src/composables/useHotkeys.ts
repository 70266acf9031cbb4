import { onScopeDispose } from 'vue'

export interface Hotkey {
  /** `Alt+1`, `Mod+Enter` (Ctrl or ⌘), `/`, `?`, `Escape`. */
  combo: string
  handler: (e: KeyboardEvent) => void
  /** Also fire while typing in an input/textarea/select (default only for combos with a modifier). */
  inInputs?: boolean
}

function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null
  if (!t) return false
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)
}

/** Whether a keyboard event matches a combo such as `Alt+1` or `Mod+Enter`. */
export function matchesCombo(e: Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>, combo: string): boolean {
  const parts = combo.split('+')
  const key = parts.pop()!
  const mods = new Set(parts)
  const mod = e.ctrlKey || e.metaKey
  if (mods.has('Mod') !== mod) return false
  if (mods.has('Alt') !== e.altKey) return false
  if (mods.has('Shift') && !e.shiftKey) return false
  // Alt+digit gives other characters on some layouts: compare digits by physical key.
  if (/^\d$/.test(key)) return e.code === `Digit${key}` || e.key === key
  return e.key.toLowerCase() === key.toLowerCase()
}

/** Registers keyboard shortcuts on the window for the lifetime of the calling scope. */
export function useHotkeys(keys: Hotkey[]): void {
  const onKey = (e: KeyboardEvent) => {
    for (const k of keys) {
      if (!matchesCombo(e, k.combo)) continue
      const hasMod = /(Mod|Alt)\+/.test(k.combo)
      if (isTyping(e) && !(k.inInputs ?? hasMod)) continue
      e.preventDefault()
      k.handler(e)
      return
    }
  }
  window.addEventListener('keydown', onKey)
  onScopeDispose(() => window.removeEventListener('keydown', onKey))
}
