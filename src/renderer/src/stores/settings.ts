import { defineStore, acceptHMRUpdate } from 'pinia'
import { computed, ref, watch } from 'vue'

export type ThemeChoice = 'light' | 'dark' | 'system'
const THEME_KEY = 'ecs-lab.theme'

function readChoice(): ThemeChoice {
  try {
    const v = globalThis.localStorage?.getItem(THEME_KEY)
    return v === 'light' || v === 'dark' || v === 'system' ? v : 'system'
  } catch {
    return 'system'
  }
}

function systemPrefersDark(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches
}

/** User preferences kept in this browser profile: the colour theme. */
export const useSettingsStore = defineStore('settings', () => {
  /** What the user picked; 'system' follows the OS. */
  const theme = ref<ThemeChoice>(readChoice())
  /** The OS preference, updated when it changes. */
  const systemDark = ref(systemPrefersDark())
  /** The theme in effect. */
  const effectiveTheme = computed<'light' | 'dark'>(() => (theme.value === 'system' ? (systemDark.value ? 'dark' : 'light') : theme.value))

  if (typeof window !== 'undefined' && typeof window.matchMedia === 'function') {
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener?.('change', (e) => { systemDark.value = e.matches })
  }

  watch(effectiveTheme, (t) => {
    if (typeof document !== 'undefined') document.documentElement.dataset.theme = t
  }, { immediate: true })

  /** Sets and remembers the theme. */
  function setTheme(t: ThemeChoice): void {
    theme.value = t
    try {
      globalThis.localStorage?.setItem(THEME_KEY, t)
    } catch {
      // storage unavailable: the choice lasts for this session
    }
  }

  /** Light <-> dark (from 'system', to the opposite of what is shown). */
  function toggleTheme(): void {
    setTheme(effectiveTheme.value === 'dark' ? 'light' : 'dark')
  }

  return { theme, systemDark, effectiveTheme, setTheme, toggleTheme }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSettingsStore, import.meta.hot))
