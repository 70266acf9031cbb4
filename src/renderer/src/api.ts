/**
 * The renderer's only handle on main: `window.api`, provided by the preload in the desktop app and by
 * the web adapter in the loopback harness. Only stores and composables import this.
 */
import type { Api } from '../../shared/ipc'

export function api(): Api {
  const a = (window as unknown as { api?: Api }).api
  if (!a) throw new Error('window.api is missing: start eCS Lab with `npm start` (desktop) or `npm run web` (browser).')
  return a
}

/** A readable one-line message for any error thrown by an API call. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
