#!/usr/bin/env node
// `npm start`: make sure the desktop runtime is complete, then build and launch the app
// (`electron-vite preview` builds main/preload/renderer and starts Electron on out/).
//
//   1. the Electron binary      missing (or ECS_LAB_NO_ELECTRON=1) -> say so in one line, build, and serve
//      the same app on loopback through the web harness (out/node/web.mjs --open: prints the URL with
//      its token, opens it where there is a desktop); Ctrl+C stops it
//   2. better-sqlite3 for Electron's ABI in .electron-native/   missing -> compile it there with
//      node-gyp against Electron's headers (never touching node_modules/better-sqlite3/build, which
//      plain Node uses), then verify the result's ABI from the binary itself; failure -> say what is
//      missing, exit 1
//   3. electron-vite preview
//
// Flags: --check (report only, build nothing), --prepare-native (steps 1-2 and copy the addon to
// .electron-native/dist/ for electron-builder; used by `npm run dist`).
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  ADDON_FILE,
  DIST_NATIVE_DIR,
  NATIVE_DIR,
  ROOT,
  bindingDirName,
  electronAddonStatus,
  electronInstallHelp,
  findElectron,
  readAddonAbi
} from './electron-env.mjs'

/** Where node-gyp fetches Electron's headers; ECS_LAB_ELECTRON_HEADERS_URL points at a mirror. */
export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers'

/**
 * The Electron binary's ABI, asked from the binary itself (ELECTRON_RUN_AS_NODE), falling back to the
 * `abi_version` file the electron package ships.
 */
export function electronModulesVersion(electron, run = spawnSync) {
  const r = run(electron.binary, ['-p', 'process.versions.modules'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000
  })
  const out = String(r.stdout ?? '').trim()
  if (r.status === 0 && /^\d+$/.test(out)) return Number(out)
  if (electron.abi) return electron.abi
  throw new Error(`could not ask Electron ${electron.version} for its ABI (exit ${r.status}): ${String(r.stderr ?? '').trim()}`)
}

/**
 * The environment for node-gyp. npm passes its config to scripts as npm_config_* variables, and one
 * of them (nodedir) points node-gyp at Node's own headers: the build would then silently target Node's
 * ABI. Drop every setting that chooses headers or runtime; the command line below sets them.
 */
export function gypEnv(env = process.env) {
  const out = {}
  for (const [k, v] of Object.entries(env)) {
    if (/^npm_config_(nodedir|target|target_arch|disturl|dist_url|runtime|devdir|arch|build_from_source)$/i.test(k)) continue
    out[k] = v
  }
  return out
}

/** node-gyp's CLI: the project's copy, else the one bundled with the npm running this script. */
export function findNodeGyp(root = ROOT, env = process.env) {
  const candidates = []
  try {
    candidates.push(createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js'))
  } catch {
    // not installed locally
  }
  if (env.npm_config_node_gyp) candidates.push(env.npm_config_node_gyp)
  if (env.npm_execpath) candidates.push(join(dirname(env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'))
  return candidates.find((p) => existsSync(p))
}

/**
 * Compiles better-sqlite3 for Electron into .electron-native/<abi-platform-arch>/ from a private copy
 * of its sources, and installs the result only if its ABI is the one asked for.
 * `run` is spawnSync (injectable for tests). Returns the installed path; throws a readable Error.
 */
export function buildElectronAddon({ root = ROOT, electronVersion, modules, platform = process.platform, arch = process.arch, env = process.env, run = spawnSync, log = console.log }) {
  const src = join(root, 'node_modules', 'better-sqlite3')
  if (!existsSync(join(src, 'binding.gyp'))) throw new Error(`${src} has no sources to build (is better-sqlite3 installed?)`)
  const nodeGyp = findNodeGyp(root, env)
  if (!nodeGyp) throw new Error('node-gyp was not found (it comes with npm and with electron-builder); run `npm install` first')

  const tag = bindingDirName({ modules, platform, arch })
  const work = join(root, NATIVE_DIR, `build-${tag}`)
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  for (const entry of ['binding.gyp', 'package.json', 'src', 'deps']) cpSync(join(src, entry), join(work, entry), { recursive: true })

  const args = [
    nodeGyp,
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--arch=${arch}`,
    `--dist-url=${env.ECS_LAB_ELECTRON_HEADERS_URL || ELECTRON_HEADERS_URL}`,
    `--devdir=${join(root, NATIVE_DIR, 'headers')}`,
    // Only an explicit folder of *Electron* headers may replace the download.
    ...(env.ECS_LAB_ELECTRON_NODEDIR ? [`--nodedir=${env.ECS_LAB_ELECTRON_NODEDIR}`] : [])
  ]
  try {
    log(`start: compiling better-sqlite3 for Electron ${electronVersion} (ABI ${modules}, ${platform}-${arch}) in ${work}`)
    const r = run(process.execPath, args, { cwd: work, env: gypEnv(env), stdio: 'inherit' })
    const built = join(work, 'build', 'Release', ADDON_FILE)
    // The exit code is not trusted either way: check what was produced.
    const abi = readAddonAbi(built)
    if (abi !== modules) {
      const why =
        abi === undefined
          ? `node-gyp produced no ${ADDON_FILE} (exit ${r.status ?? r.signal ?? r.error?.message})`
          : `node-gyp produced an addon for ABI ${abi}, not Electron's ${modules} (wrong headers)`
      throw new Error(why)
    }
    const destDir = join(root, NATIVE_DIR, tag)
    mkdirSync(destDir, { recursive: true })
    const dest = join(destDir, ADDON_FILE)
    copyFileSync(built, dest)
    writeFileSync(
      join(destDir, 'build-info.json'),
      JSON.stringify({ electron: electronVersion, modules, platform, arch, verifiedAbi: abi, builtAt: new Date().toISOString() }, null, 2) + '\n'
    )
    return dest
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function nativeBuildHelp(err) {
  return [
    `npm start could not build better-sqlite3 for Electron: ${err.message}`,
    'What it needs: a C++ toolchain (Linux: build-essential + python3; macOS: Xcode Command Line Tools;',
    `Windows: Visual Studio Build Tools with "Desktop development with C++") and Electron's headers from`,
    `${ELECTRON_HEADERS_URL} (set ECS_LAB_ELECTRON_HEADERS_URL for a mirror, or ECS_LAB_ELECTRON_NODEDIR to`,
    'an unpacked Electron headers folder). Then run npm start again.',
    'node_modules/better-sqlite3 was not touched: npm test, npm run web and the CLI keep working.'
  ].join('\n')
}

function runElectronVite(args) {
  // Its package "exports" hide bin/, so locate the CLI by path (a devDependency of this project).
  const bin = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  if (!existsSync(bin)) {
    console.error('npm start: electron-vite is not installed; run `npm install` first')
    return 1
  }
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, stdio: 'inherit' })
  return r.status ?? 1
}

/**
 * Without Electron: build the renderer and the plain-Node bundles, then run the web harness in a child
 * process (stdio inherited) until it exits. SIGINT/SIGTERM sent to this process are passed on (a
 * terminal's Ctrl+C reaches both; the server stops once either way). Resolves to the server's exit code.
 */
export async function serveInBrowser({ root = ROOT, env = process.env } = {}) {
  const built = runElectronVite(['build'])
  if (built !== 0) return built
  const { buildNode } = await import('./build-node.mjs')
  await buildNode({ root, quiet: true })
  const child = spawn(process.execPath, [join(root, 'out', 'node', 'web.mjs'), '--open'], { cwd: root, env, stdio: 'inherit' })
  const forward = (signal) => () => child.kill(signal)
  const onInt = forward('SIGINT')
  const onTerm = forward('SIGTERM')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

export function main(argv = process.argv.slice(2), env = process.env) {
  const check = argv.includes('--check')
  const prepareOnly = argv.includes('--prepare-native')

  const electron = env.ECS_LAB_NO_ELECTRON === '1' ? { status: 'skipped', detail: 'ECS_LAB_NO_ELECTRON=1' } : findElectron(ROOT)
  if (electron.status !== 'ok') {
    if (check || prepareOnly) {
      console.error(`npm start needs the Electron binary, which this install does not have.\n  ${electron.detail}\n${electronInstallHelp()}`)
      return 1
    }
    console.log(`npm start: no Electron binary (${electron.detail}); serving the same app to your browser instead (node node_modules/electron/install.js gets the desktop window).`)
    return serveInBrowser({ env })
  }
  const modules = electronModulesVersion(electron)
  let addon = electronAddonStatus({ root: ROOT, modules })
  console.log(`start: Electron ${electron.version} (ABI ${modules}); better-sqlite3 for it: ${addon.state} (${addon.path})`)
  if (check) return addon.state === 'ok' ? 0 : 1

  if (addon.state !== 'ok') {
    try {
      buildElectronAddon({ root: ROOT, electronVersion: electron.version, modules })
    } catch (err) {
      console.error(nativeBuildHelp(err))
      return 1
    }
    addon = electronAddonStatus({ root: ROOT, modules })
    if (addon.state !== 'ok') {
      console.error(nativeBuildHelp(new Error(`${addon.path} is ${addon.state} after the build`)))
      return 1
    }
  }

  if (prepareOnly) {
    mkdirSync(join(ROOT, DIST_NATIVE_DIR), { recursive: true })
    copyFileSync(addon.path, join(ROOT, DIST_NATIVE_DIR, ADDON_FILE))
    console.log(`start: ${join(DIST_NATIVE_DIR, ADDON_FILE)} ready for packaging`)
    return 0
  }
  return runElectronVite(['preview'])
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  Promise.resolve(main()).then((code) => { process.exitCode = code })
}
