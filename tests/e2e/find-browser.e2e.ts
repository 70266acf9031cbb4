/** The e2e browser lookup order: CHROMIUM_PATH, a system browser (unless switched off), the npm-shipped one. */
import { describe, expect, it } from 'vitest'
import { findBrowser, type FindBrowserDeps } from './find-browser'

function deps(env: NodeJS.ProcessEnv, onDisk: string[]): FindBrowserDeps & { bundledCalls: number } {
  const d = {
    env,
    exists: (p: string) => onDisk.includes(p),
    bundledCalls: 0,
    bundled: async () => {
      d.bundledCalls++
      return '/tmp/chromium'
    }
  }
  return d
}

describe('findBrowser', () => {
  it('takes CHROMIUM_PATH first, and refuses a path that does not exist', async () => {
    const d = deps({ CHROMIUM_PATH: '/opt/c/chrome', PATH: '/usr/bin' }, ['/opt/c/chrome', '/usr/bin/chromium'])
    await expect(findBrowser(d)).resolves.toEqual({ executablePath: '/opt/c/chrome', source: 'CHROMIUM_PATH' })
    await expect(findBrowser(deps({ CHROMIUM_PATH: '/nope' }, ['/usr/bin/chromium']))).rejects.toThrow(/CHROMIUM_PATH=\/nope does not exist/)
  })

  it('then a system Chromium or Chrome on PATH', async () => {
    const d = deps({ PATH: '/a:/b' }, ['/b/google-chrome', '/a/chromium-browser'])
    await expect(findBrowser(d)).resolves.toEqual({ executablePath: '/a/chromium-browser', source: 'system' })
    expect(d.bundledCalls).toBe(0)
  })

  it('then the Chromium inside @sparticuz/chromium, with its own fonts', async () => {
    const none = deps({ PATH: '/a' }, [])
    const c = await findBrowser(none)
    expect(c).toMatchObject({ executablePath: '/tmp/chromium', source: '@sparticuz/chromium' })
    expect(c.env?.FONTCONFIG_PATH).toMatch(/fonts$/)
    // ECS_LAB_NO_SYSTEM_BROWSER=1 skips the system lookup even where one exists
    const skipped = deps({ PATH: '/usr/bin', ECS_LAB_NO_SYSTEM_BROWSER: '1' }, ['/usr/bin/chromium'])
    await expect(findBrowser(skipped)).resolves.toMatchObject({ source: '@sparticuz/chromium' })
    expect(skipped.bundledCalls).toBe(1)
  })
})
