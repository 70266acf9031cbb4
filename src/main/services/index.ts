/**
 * Main-side services: plain TypeScript with no Electron import, so the same code serves the desktop
 * app (through ipcMain), the loopback web harness and the tests. `createServices` wires every contract
 * channel to its implementation.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ENGINE_VERSION, listPresets, resolveScenario } from '../../sim'
import { ApiError, type Emit, type Handlers } from '../../shared/ipc'
import { policyListing } from '../policies'
import type { WorkerFactory } from '../sim-host/one-shot'
import { campaignsHandlers } from './campaigns'
import { compareHandlers } from './compare'
import { ServiceContext } from './context'
import { exportRuns } from './export'
import { layoutsHandlers } from './layouts'
import { runsHandlers } from './runs'
import { traceHandlers } from './trace'
import { validationHandlers } from './validation-report'
import { docsHandlers } from './docs'

export interface ServicesOptions {
  host: 'electron' | 'web'
  /** Creates a simulation worker thread (electron-vite `?nodeWorker` in the app, tsx under Node). */
  workerFactory: WorkerFactory
  /** Main -> renderer pushes. */
  emit: Emit
  /** Experiment store file. Default: `ECS_LAB_DB`, else `<userData>/ecs-lab.sqlite` (shared with the CLI). Opened on first use. */
  dbPath?: string
  /** Simulation worker threads. Default: cores - 1, at least 1. */
  poolSize?: number
  log?(level: 'info' | 'warn' | 'error', message: string): void
}

export interface Services {
  handlers: Handlers
  /** Cancels running simulations (they end 'cancelled' in the store), stops the workers, closes the store. */
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
  const ctx = new ServiceContext(opts)
  const quick = new Set<{ cancel(): void }>()
  const handlers: Handlers = {
    'app:info': () => ({ version: appVersion(), engineVersion: ENGINE_VERSION, host: opts.host }),
    'presets:list': () => ({ ...listPresets(), policies: policyListing() }),
    'sim:runQuick': async (args) => {
      let scenario
      try {
        scenario = resolveScenario({ preset: args.preset, ...(args.policy ? { policy: { id: args.policy } } : {}), ...(args.seed !== undefined ? { seed: args.seed } : {}) })
      } catch (err) {
        throw new ApiError(err instanceof Error ? err.message : String(err), 'invalid-argument', 'ScenarioError')
      }
      const handle = ctx.pool().submit({ id: `quick-${args.preset}`, scenario })
      quick.add(handle)
      try {
        const outcome = await handle.promise
        if (outcome.status === 'done') return outcome.result
        if (outcome.status === 'cancelled') throw new ApiError('the quick run was cancelled', 'cancelled', 'CancelledError')
        throw new ApiError(outcome.error.message, outcome.error.code ?? 'internal', outcome.error.name)
      } finally {
        quick.delete(handle)
      }
    },
    ...layoutsHandlers(ctx),
    ...runsHandlers(ctx),
    ...campaignsHandlers(ctx),
    ...compareHandlers(ctx),
    ...traceHandlers(ctx),
    ...validationHandlers(),
    ...docsHandlers(),
    'export:runs': (args) => exportRuns(ctx.store(), args.selection, { format: args.format, shape: args.shape, metrics: args.metrics, allParams: args.allParams })
  }
  return {
    handlers,
    async close() {
      for (const q of quick) q.cancel()
      await ctx.close()
    }
  }
}
