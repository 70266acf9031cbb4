// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { effectScope } from 'vue'
import { matchesCombo, useHotkeys } from './useHotkeys'

const ev = (key: string, mods: Partial<{ alt: boolean; ctrl: boolean; meta: boolean; shift: boolean }> = {}, code = '') =>
  ({ key, code, altKey: !!mods.alt, ctrlKey: !!mods.ctrl, metaKey: !!mods.meta, shiftKey: !!mods.shift })

describe('hotkeys', () => {
  it('matches combos with modifiers; digits by physical key', () => {
    expect(matchesCombo(ev('1', { alt: true }, 'Digit1'), 'Alt+1')).toBe(true)
    expect(matchesCombo(ev('¡', { alt: true }, 'Digit1'), 'Alt+1')).toBe(true)
    expect(matchesCombo(ev('1', {}, 'Digit1'), 'Alt+1')).toBe(false)
    expect(matchesCombo(ev('Enter', { meta: true }), 'Mod+Enter')).toBe(true)
    expect(matchesCombo(ev('Enter', { ctrl: true }), 'Mod+Enter')).toBe(true)
    expect(matchesCombo(ev('s', { ctrl: true, alt: true }), 'Mod+s')).toBe(false)
    expect(matchesCombo(ev('?', { shift: true }), '?')).toBe(true)
  })

  it('ignores plain keys while typing and unregisters with its scope', () => {
    let hits = 0
    const scope = effectScope()
    scope.run(() => useHotkeys([{ combo: '/', handler: () => hits++ }, { combo: 'Mod+Enter', handler: () => hits += 10 }]))
    const input = document.createElement('input')
    document.body.appendChild(input)
    input.dispatchEvent(new KeyboardEvent('keydown', { key: '/', bubbles: true }))
    expect(hits).toBe(0)
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }))
    expect(hits).toBe(10)
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '/' }))
    expect(hits).toBe(11)
    scope.stop()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '/' }))
    expect(hits).toBe(11)
  })
})
