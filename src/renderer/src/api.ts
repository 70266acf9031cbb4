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

const CODE_HINTS: Record<string, string> = {
  'not-found': 'not found',
  conflict: 'changed elsewhere',
  cancelled: 'cancelled',
  'invalid-argument': 'invalid input'
}

/**
 * A readable one-line message for any error thrown by an API call: the server's message (which names
 * the field and allowed range for validation errors), prefixed with what kind of failure it was when
 * the message alone does not say, and a hint when the service itself is unreachable.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    if (err instanceof TypeError && /fetch|network/i.test(err.message)) {
      return 'The eCS Lab service is not reachable (was it stopped?). Restart it and reload this page.'
    }
    const msg = err.message || err.name
    const hint = typeof code === 'string' ? CODE_HINTS[code] : undefined
    return hint && !msg.toLowerCase().includes(hint) ? `${msg} (${hint})` : msg
  }
  if (typeof err === 'object' && err !== null && 'message' in err) return String((err as { message: unknown }).message)
  return String(err)
}

/** The error code of an API error ('not-found', 'conflict', ...), if any. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}
