/**
 * `shell.openExternal` only for allow-listed links (Electron security checklist, item "Do not use
 * shell.openExternal with untrusted content"). A link opens in the user's browser only when it is
 * https, on one of the hosts below, without embedded credentials or a non-default port. Everything
 * else is ignored (and logged), never handed to the OS, which would happily run `file:` or custom
 * protocol handlers.
 */

/** Hosts the app links to: the paper, its venue, and the project's home. Exact host names only. */
export const EXTERNAL_LINK_HOSTS: readonly string[] = [
  'www.usenix.org',
  'doi.org',
  'github.com',
  'www.electronjs.org'
]

/** The paper eCS Lab reproduces (Help menu). */
export const PAPER_URL = 'https://www.usenix.org/conference/atc18/presentation/kashyap'

export function isAllowedExternalUrl(url: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  return u.protocol === 'https:' && u.username === '' && u.password === '' && u.port === '' && hosts.includes(u.hostname)
}

export interface ExternalOpener {
  openExternal(url: string): Promise<void>
}

/** Opens `url` in the default browser if allow-listed; returns whether it did. */
export async function openExternalLink(shell: ExternalOpener, url: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): Promise<boolean> {
  if (!isAllowedExternalUrl(url, hosts)) {
    console.warn(`links: refused to open ${JSON.stringify(url.slice(0, 200))} (not allow-listed)`)
    return false
  }
  // Re-serialize the parsed URL so what reaches the OS is exactly what was checked.
  await shell.openExternal(new URL(url).href)
  return true
}
