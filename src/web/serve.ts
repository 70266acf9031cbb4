/**
 * `npm run web` (and `npm start` where there is no Electron binary): eCS Lab in a browser, for machines
 * without a display or without Electron. Loopback only; the printed URL carries the access token.
 * Compiled to out/node/web.mjs (scripts/build-node.mjs), so no TypeScript is compiled at run time.
 *
 * `--open`: also open the URL in the desktop's browser, where there is a desktop (Linux: DISPLAY or
 * WAYLAND_DISPLAY set, through xdg-open; macOS: open; Windows: start). Ctrl+C (SIGINT) or SIGTERM
 * cancels running simulations, closes the store and exits 0.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_RENDERER_DIR, startHarness } from './harness'
import { openCommand } from './open'

function openInBrowser(url: string): void {
  const cmd = openCommand(url)
  if (!cmd) {
    console.log('(no desktop display here: open the URL in a browser that can reach this machine’s loopback)')
    return
  }
  try {
    const child = spawn(cmd[0], cmd[1], { stdio: 'ignore', detached: true })
    child.on('error', (err) => console.log(`(could not open a browser with ${cmd[0]}: ${err.message}; open the URL yourself)`))
    child.unref()
  } catch (err) {
    console.log(`(could not open a browser with ${cmd[0]}: ${err instanceof Error ? err.message : String(err)}; open the URL yourself)`)
  }
}

async function main(argv: readonly string[]): Promise<void> {
  if (!existsSync(join(DEFAULT_RENDERER_DIR, 'index.html'))) {
    console.error('eCS Lab: the renderer is not built yet; run `npm run build` first.')
    process.exit(1)
  }
  const port = process.env.ECS_LAB_PORT ? Number(process.env.ECS_LAB_PORT) : 0
  const h = await startHarness({ port })
  console.log(`eCS Lab is serving on loopback only. Open:\n  ${h.server.url}\nPress Ctrl+C to stop.`)
  if (argv.includes('--open')) openInBrowser(h.server.url)
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    void h.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`eCS Lab: error while stopping: ${err instanceof Error ? err.message : String(err)}`)
        process.exit(1)
      }
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

void main(process.argv.slice(2))
