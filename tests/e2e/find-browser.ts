/**
 * Which Chromium the browser tests drive, in this order:
 *   1. CHROMIUM_PATH, when set (must exist: a wrong path is an error, not a silent fallback);
 *   2. a system Chromium or Chrome (the first of SYSTEM_BROWSERS found on disk or on PATH), unless
 *      ECS_LAB_NO_SYSTEM_BROWSER=1 (used to prove step 3 on a machine that has one);
 *   3. the Chromium shipped inside the @sparticuz/chromium dev dependency (a headless-shell build that
 *      needs only the base system's libraries; unpacked to the temp folder on first use).
 */
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

export const SYSTEM_BROWSERS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome']

export interface BrowserChoice {
  executablePath: string
  /** How it was found, for the log line. */
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium'
  /** Extra environment for the browser process. */
  env?: Record<string, string>
}

export interface FindBrowserDeps {
  env: NodeJS.ProcessEnv
  exists(path: string): boolean
  /** Unpacks the npm-shipped Chromium and returns its path. */
  bundled(): Promise<string>
}

/** The first system browser: an absolute path in a PATH folder (or /usr/bin), or undefined. */
export function findSystemBrowser(env: NodeJS.ProcessEnv, exists: (p: string) => boolean): string | undefined {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin', '/usr/local/bin', '/snap/bin']
  for (const name of SYSTEM_BROWSERS) {
    for (const dir of dirs) {
      const p = join(dir, name)
      if (exists(p)) return p
    }
  }
  return undefined
}

export async function findBrowser(deps: FindBrowserDeps): Promise<BrowserChoice> {
  const { env, exists } = deps
  if (env.CHROMIUM_PATH) {
    if (!exists(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist; unset it to use a system or the bundled Chromium`)
    return { executablePath: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' }
  }
  if (env.ECS_LAB_NO_SYSTEM_BROWSER !== '1') {
    const system = findSystemBrowser(env, exists)
    if (system) return { executablePath: system, source: 'system' }
  }
  const executablePath = await deps.bundled()
  // Its own fonts (unpacked beside it), so pages render the same where the system has no fonts.
  return { executablePath, source: '@sparticuz/chromium', env: { FONTCONFIG_PATH: env.FONTCONFIG_PATH ?? join(tmpdir(), 'fonts') } }
}

async function bundledChromium(): Promise<string> {
  let mod: { default: { executablePath(): Promise<string> } }
  try {
    mod = (await import('@sparticuz/chromium')) as typeof mod
  } catch (err) {
    throw new Error(`no browser for the e2e tests: CHROMIUM_PATH is unset, no system Chromium/Chrome was found, and @sparticuz/chromium is not installed (run npm install): ${String(err)}`)
  }
  return mod.default.executablePath()
}

let chosen: Promise<BrowserChoice> | undefined

/** The browser for this process (found once) ; logs which one. */
export function browserForTests(): Promise<BrowserChoice> {
  chosen ??= findBrowser({ env: process.env, exists: existsSync, bundled: bundledChromium }).then((c) => {
    const why = c.source === '@sparticuz/chromium' ? (process.env.ECS_LAB_NO_SYSTEM_BROWSER === '1' ? ' (system lookup skipped: ECS_LAB_NO_SYSTEM_BROWSER=1)' : ' (no system Chromium/Chrome found)') : ''
    console.log(`e2e browser: ${c.executablePath} from ${c.source}${why}`)
    return c
  })
  return chosen
}
