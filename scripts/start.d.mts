// Types for scripts/start.mjs (imported by tests).
import type { SpawnSyncReturns } from 'node:child_process'
import type { ElectronState } from './electron-env.mjs'

type Run = (cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; [k: string]: unknown }) => Partial<SpawnSyncReturns<string>>

export declare const ELECTRON_HEADERS_URL: string
export declare function electronModulesVersion(electron: Extract<ElectronState, { status: 'ok' }>, run?: Run): number
export declare function gypEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv
export declare function findNodeGyp(root?: string, env?: NodeJS.ProcessEnv): string | undefined
export declare function buildElectronAddon(opts: {
  root?: string
  electronVersion: string
  modules: number
  platform?: string
  arch?: string
  env?: NodeJS.ProcessEnv
  run?: Run
  log?: (msg: string) => void
}): string
export declare function serveInBrowser(opts?: { root?: string; env?: NodeJS.ProcessEnv }): Promise<number>
export declare function main(argv?: string[], env?: NodeJS.ProcessEnv): number | Promise<number>
