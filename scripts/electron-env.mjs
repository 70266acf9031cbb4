// What the desktop runtime needs and whether this install has it: the Electron binary, and a
// better-sqlite3 addon compiled for Electron's ABI. Shared by scripts/start.mjs and
// scripts/postinstall.mjs; dependency-free (Node built-ins only) so postinstall can never fail on it.
//
// The Electron addon lives in .electron-native/abi<N>-<platform>-<arch>/better_sqlite3.node, beside
// (never instead of) node_modules/better-sqlite3/build, which plain Node uses for npm test and the CLI.
// src/main/native-binding.ts selects between them at run time; a unit test keeps the folder naming
// and the ABI reader of both files in step.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const NATIVE_DIR = '.electron-native'
export const ADDON_FILE = 'better_sqlite3.node'
/** Where `npm run dist` puts the addon that electron-builder copies into <resources>/native/. */
export const DIST_NATIVE_DIR = join(NATIVE_DIR, 'dist')

/** Same naming as electronBindingDirName() in src/main/native-binding.ts. */
export function bindingDirName({ modules, platform, arch }) {
  return `abi${modules}-${platform}-${arch}`
}

/**
 * NODE_MODULE_VERSION an addon was compiled for, read from its `node_register_module_v<N>` symbol
 * (same as readAddonAbi() in src/main/native-binding.ts). Build stamps such as config.gypi are not
 * trusted: rebuild tools have been seen to stamp a Node build as Electron's.
 */
export function readAddonAbi(path) {
  let bytes
  try {
    bytes = readFileSync(path)
  } catch {
    return undefined
  }
  const m = /node_register_module_v(\d+)/.exec(bytes.toString('latin1'))
  return m ? Number(m[1]) : undefined
}

function readText(path) {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    return undefined
  }
}

/**
 * State of the `electron` npm package and its binary, mirroring node_modules/electron/index.js
 * (path.txt + dist/, or ELECTRON_OVERRIDE_DIST_PATH) without require()-ing it, which throws.
 * @returns {{ status: 'ok', version: string, abi: number|undefined, binary: string }
 *          | { status: 'not-installed' | 'binary-missing', version?: string, abi?: number, detail: string }}
 */
export function findElectron(root = ROOT, env = process.env) {
  const pkgDir = join(root, 'node_modules', 'electron')
  const pkgText = readText(join(pkgDir, 'package.json'))
  if (!pkgText) {
    return { status: 'not-installed', detail: `${join('node_modules', 'electron')} does not exist (npm skips the optional Electron package when its binary download fails)` }
  }
  const version = JSON.parse(pkgText).version
  const abiText = readText(join(pkgDir, 'abi_version'))
  const abi = abiText && /^\d+$/.test(abiText) ? Number(abiText) : undefined
  const rel = readText(join(pkgDir, 'path.txt'))
  if (!rel) return { status: 'binary-missing', version, abi, detail: `Electron ${version} is installed but its binary was never downloaded (no node_modules/electron/path.txt)` }
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, rel) : join(pkgDir, 'dist', rel)
  if (!existsSync(binary)) return { status: 'binary-missing', version, abi, detail: `Electron ${version}: ${binary} does not exist` }
  return { status: 'ok', version, abi, binary }
}

/** How to get the Electron binary on a machine that can reach the internet (or a mirror). */
export function electronInstallHelp() {
  return [
    'To get it, on a machine that can download from GitHub (or through a mirror):',
    '  node node_modules/electron/install.js        # downloads the binary (if node_modules/electron exists)',
    '  npm install                                  # otherwise: installs the optional electron package with it',
    'Behind a proxy or offline mirror, set ELECTRON_MIRROR (e.g. https://npmmirror.com/mirrors/electron/)',
    'or ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron 41 folder, then run npm start again.',
    'Without Electron, everything else still works: npm test, npm run web (the app in a browser), npx ecs-lab (CLI).'
  ].join('\n')
}

/**
 * The Electron-ABI addon for this platform: where it should be and whether it is there and valid.
 * @returns {{ path: string, state: 'ok' | 'missing' | 'wrong-abi', abi?: number }}
 */
export function electronAddonStatus({ root = ROOT, modules, platform = process.platform, arch = process.arch }) {
  const path = join(root, NATIVE_DIR, bindingDirName({ modules, platform, arch }), ADDON_FILE)
  if (!existsSync(path)) return { path, state: 'missing' }
  const abi = readAddonAbi(path)
  return { path, abi, state: abi === Number(modules) ? 'ok' : 'wrong-abi' }
}
