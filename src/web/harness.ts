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

export interface HarnessOptions {
  rendererDir?: string
  port?: number
  /** Experiment store; default as the app and CLI: ECS_LAB_DB, else the user-data folder. */
  dbPath?: string
  poolSize?: number
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const ref: { server?: WebServer } = {}
  const services = createServices({
    host: 'web',
    workerFactory: nodeWorkerFactory,
    ...(opts.dbPath ? { dbPath: opts.dbPath } : {}),
    ...(opts.poolSize ? { poolSize: opts.poolSize } : {}),
    emit: (channel, payload) => ref.server?.emit(channel, payload)
  })
  const server = await startWebServer(services, { rendererDir: opts.rendererDir ?? DEFAULT_RENDERER_DIR, port: opts.port })
  ref.server = server
  return {
    server,
    services,
    async close() {
      await services.close()
      await server.close()
    }
  }
}
