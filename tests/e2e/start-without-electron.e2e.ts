/**
 * `npm start` where there is no Electron binary (ECS_LAB_NO_ELECTRON=1 forces that path on a machine
 * that has one): one line saying so, the same app served on loopback with its token, the URL printed,
 * the app's page answering it, and Ctrl+C (SIGINT) ending the process with exit code 0.
 * Spawns `node scripts/start.mjs`, which is what `npm start` runs (package.json "start").
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = join(__dirname, '../..')

function waitFor(child: ChildProcess, output: { text: string }, re: RegExp, ms: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${re} within ${ms} ms; output so far:\n${output.text}`)), ms)
    const check = () => {
      const m = output.text.match(re)
      if (m) {
        clearTimeout(timer)
        resolve(m)
      }
    }
    child.stdout!.on('data', check)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`npm start exited (${code}) before printing ${re}:\n${output.text}`))
    })
    check()
  })
}

describe('npm start without Electron', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecs-lab-start-'))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('says so in one line, serves the app on loopback with its token, and stops on Ctrl+C', async () => {
    // No DISPLAY: nothing is opened; the URL is printed either way.
    const env = { ...process.env, ECS_LAB_NO_ELECTRON: '1', ECS_LAB_DB: join(dataDir, 'ecs-lab.sqlite'), DISPLAY: '', WAYLAND_DISPLAY: '' }
    const child = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const output = { text: '' }
    child.stdout!.on('data', (d: Buffer) => (output.text += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (output.text += d.toString()))
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
    try {
      const [url] = await waitFor(child, output, /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/, 150_000)
      const firstLines = output.text.split('\n').filter((l) => l.startsWith('npm start:'))
      expect(firstLines).toHaveLength(1)
      expect(firstLines[0]).toMatch(/no Electron binary.*serving the same app to your browser/)

      const page = await fetch(url)
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain('<title>eCS Lab</title>')
      expect(html).toContain('<div id="app"></div>')
      // the token is what opens it
      const without = await fetch(url.replace(/\?token=.*/, ''))
      expect(without.status).toBe(401)

      child.kill('SIGINT')
      const end = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))])
      expect(end).toEqual({ code: 0, signal: null })
      await expect(fetch(url)).rejects.toThrow()
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
  })
})
