/**
 * Main-side services: plain TypeScript with no Electron import, so the same code serves the desktop
 * app (through ipcMain), the loopback web harness and the tests. `createServices` wires every contract
 * channel to its implementation.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ENGINE_VERSION, listPresets, resolveScenario } from '../../sim'
import { ApiError, type Emit, type Handlers } from '../../shared/ipc'
import { runInWorker, type WorkerFactory } from '../sim-host/one-shot'

export interface ServicesOptions {
  host: 'electron' | 'web'
  /** Creates a simulation worker thread (electron-vite `?nodeWorker` in the app, tsx under Node). */
  workerFactory: WorkerFactory
  /** Main -> renderer pushes. */
  emit: Emit
}

export interface Services {
  handlers: Handlers
  close(): Promise<void>
}

export function appVersion(): string {
  // __dirname is src/main/services under tsx and out/main in the built app: look upward for package.json.
  for (const rel of ['../../../package.json', '../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, rel), 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'ecs-lab' && pkg.version) return pkg.version
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0'
}

export function createServices(opts: ServicesOptions): Services {
  const running = new Set<{ cancel(): void }>()
  const handlers: Handlers = {
    'app:info': () => ({ version: appVersion(), engineVersion: ENGINE_VERSION, host: opts.host }),
    'presets:list': () => listPresets(),
    'sim:runQuick': async (args) => {
      let scenario
      try {
        scenario = resolveScenario({ preset: args.preset, ...(args.policy ? { policy: { id: args.policy } } : {}), ...(args.seed !== undefined ? { seed: args.seed } : {}) })
      } catch (err) {
        throw new ApiError(err instanceof Error ? err.message : String(err), 'invalid-argument', 'ScenarioError')
      }
      const handle = runInWorker(opts.workerFactory, scenario)
      running.add(handle)
      try {
        return await handle.promise
      } finally {
        running.delete(handle)
      }
    }
  }
  return {
    handlers,
    async close() {
      for (const r of running) r.cancel()
    }
  }
}
