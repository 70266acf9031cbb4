/** Services + web server, wired together: what `npm run web` and the e2e tests start. */
import { join } from 'node:path'
import { createServices, type Services } from '../main/services'
import { nodeWorkerFactory } from '../main/sim-host/one-shot'
import { startWebServer, type WebServer } from './server'

export interface Harness {
  server: WebServer
  services: Services
  close(): Promise<void>
}

export const DEFAULT_RENDERER_DIR = join(__dirname, '../../out/renderer')

export async function startHarness(opts: { rendererDir?: string; port?: number } = {}): Promise<Harness> {
  let server: WebServer | undefined
  const services = createServices({
    host: 'web',
    workerFactory: nodeWorkerFactory,
    emit: (channel, payload) => server?.emit(channel, payload)
  })
  server = await startWebServer(services, { rendererDir: opts.rendererDir ?? DEFAULT_RENDERER_DIR, port: opts.port })
  return {
    server,
    services,
    async close() {
      await services.close()
      await server!.close()
    }
  }
}
