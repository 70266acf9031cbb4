/**
 * Which better-sqlite3 binary to load. One install serves two runtimes with different ABIs:
 *
 *   plain Node (npm test, the CLI, the web harness)  node_modules/better-sqlite3/build/Release (npm built it)
 *   Electron, development (npm start)                .electron-native/abi<N>-<platform>-<arch>/better_sqlite3.node
 *   Electron, packaged app (npm run dist)            <resources>/native/better_sqlite3.node
 *
 * The Electron build never overwrites the Node one (scripts/start.mjs compiles it into its own folder
 * against Electron's headers), and better-sqlite3's `nativeBinding` option points at it. Before use
 * the binary's ABI is read from the file itself (the `node_register_module_v<N>` symbol every
 * non-N-API addon exports) rather than trusted from a build stamp: rebuild tools have been seen to
 * stamp a Node build as Electron's.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const NATIVE_DIR = '.electron-native'
export const ADDON_FILE = 'better_sqlite3.node'

export interface RuntimeInfo {
  /** process.versions.electron; undefined under plain Node. */
  electron?: string
  /** process.versions.modules: the ABI (NODE_MODULE_VERSION) this runtime loads. */
  modules: string
  platform: NodeJS.Platform | string
  arch: string
}

/** Folder name for one Electron ABI/platform/arch (scripts/start.mjs builds into the same name). */
export function electronBindingDirName(rt: Pick<RuntimeInfo, 'modules' | 'platform' | 'arch'>): string {
  return `abi${rt.modules}-${rt.platform}-${rt.arch}`
}

export type NativeBindingChoice =
  /** Let better-sqlite3 find its own build (plain Node). */
  | { kind: 'default'; reason: string }
  /** Load this file via the `nativeBinding` option. */
  | { kind: 'file'; path: string; reason: string }
  /** No usable binary: `message` says what is missing and how to get it. */
  | { kind: 'missing'; message: string }

export interface SelectOptions {
  runtime: RuntimeInfo
  /** app.getAppPath() in development: the project root. */
  appRoot: string
  /** process.resourcesPath in a packaged app. */
  resourcesPath?: string
  isPackaged: boolean
  /** Reads a binary's ABI (default: readAddonAbi); injectable for tests. */
  readAbi?: (path: string) => number | undefined
  exists?: (path: string) => boolean
}

/** The candidate path for the running Electron, or undefined under plain Node. */
export function electronBindingPath(opts: Pick<SelectOptions, 'runtime' | 'appRoot' | 'resourcesPath' | 'isPackaged'>): string | undefined {
  if (!opts.runtime.electron) return undefined
  if (opts.isPackaged) return join(opts.resourcesPath ?? '', 'native', ADDON_FILE)
  return join(opts.appRoot, NATIVE_DIR, electronBindingDirName(opts.runtime), ADDON_FILE)
}

export function selectNativeBinding(opts: SelectOptions): NativeBindingChoice {
  const rt = opts.runtime
  if (!rt.electron) return { kind: 'default', reason: `plain Node ${rt.modules}: better-sqlite3's own build` }
  const exists = opts.exists ?? existsSync
  const readAbi = opts.readAbi ?? readAddonAbi
  const path = electronBindingPath(opts)!
  const what = `better-sqlite3 for Electron ${rt.electron} (ABI ${rt.modules}, ${rt.platform}-${rt.arch})`
  const fix = opts.isPackaged
    ? 'The package is incomplete: rebuild it with `npm run dist`.'
    : 'Run `npm start` from the project folder: it builds one into ' + NATIVE_DIR + '/ (needs a C++ toolchain and access to Electron\'s headers).'
  if (!exists(path)) return { kind: 'missing', message: `${what} is missing: ${path} does not exist. ${fix}` }
  const abi = readAbi(path)
  if (abi !== Number(rt.modules)) {
    return {
      kind: 'missing',
      message: `${what}: ${path} was built for ABI ${abi ?? 'unknown'}, not ${rt.modules}. Delete it and ${fix.charAt(0).toLowerCase()}${fix.slice(1)}`
    }
  }
  return { kind: 'file', path, reason: `${what}: ${path}` }
}

const REGISTER_SYMBOL = /node_register_module_v(\d+)/

/**
 * The NODE_MODULE_VERSION an addon was compiled for, read from its exported
 * `node_register_module_v<N>` symbol; undefined if the file is unreadable or has no such symbol
 * (an N-API addon, or not an addon at all).
 */
export function readAddonAbi(path: string): number | undefined {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch {
    return undefined
  }
  const m = REGISTER_SYMBOL.exec(bytes.toString('latin1'))
  return m ? Number(m[1]) : undefined
}

let configured: NativeBindingChoice = { kind: 'default', reason: 'not configured (plain Node)' }

/** Called once by the Electron main process before the store opens. */
export function configureNativeBinding(choice: NativeBindingChoice): void {
  configured = choice
}

/**
 * Options to spread into `new Database(path, { ...betterSqliteOptions(), ... })`. Empty under plain
 * Node; throws the "what is missing" message in Electron when no usable binary was found, so the
 * store fails with an actionable error instead of an ABI mismatch.
 */
export function betterSqliteOptions(): { nativeBinding?: string } {
  switch (configured.kind) {
    case 'default':
      return {}
    case 'file':
      return { nativeBinding: configured.path }
    case 'missing':
      throw new Error(configured.message)
  }
}
