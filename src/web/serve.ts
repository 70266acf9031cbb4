/**
 * `npm run web`: eCS Lab in a browser, for machines without a display (or without the Electron binary).
 * Loopback only; the printed URL carries the access token.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_RENDERER_DIR, startHarness } from './harness'

async function main(): Promise<void> {
  if (!existsSync(join(DEFAULT_RENDERER_DIR, 'index.html'))) {
    console.error('eCS Lab: the renderer is not built yet; run `npm run build` first.')
    process.exit(1)
  }
  const port = process.env.ECS_LAB_PORT ? Number(process.env.ECS_LAB_PORT) : 0
  const h = await startHarness({ port })
  console.log(`eCS Lab is serving on loopback only. Open:\n  ${h.server.url}\nPress Ctrl+C to stop.`)
  const stop = () => void h.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

void main()
