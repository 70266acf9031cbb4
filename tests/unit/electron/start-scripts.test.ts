/**
 * scripts/start.mjs and scripts/postinstall.mjs: what `npm start` does when the desktop runtime is
 * incomplete. Electron missing -> a clear message and exit 1; the Electron-ABI better-sqlite3 is built
 * from a private copy of the sources (node_modules/better-sqlite3/build is never touched), node-gyp
 * gets no Node-headers setting from npm, and the result is installed only if its ABI really is
 * Electron's. postinstall only reports and always exits 0.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findElectron } from '../../../scripts/electron-env.mjs'
import { buildElectronAddon, electronModulesVersion, gypEnv } from '../../../scripts/start.mjs'

const ROOT = resolve(__dirname, '../../..')

function tempRoot(): string {
  return mkdtempSync(join(tmpdir(), 'ecs-start-'))
}

function write(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content)
}

/** A project root with a stand-in better-sqlite3 (sources + a Node-ABI build) and node-gyp. */
function fakeProject(): string {
  const root = tempRoot()
  const bs = join(root, 'node_modules', 'better-sqlite3')
  write(join(bs, 'binding.gyp'), '{}')
  write(join(bs, 'package.json'), '{"name":"better-sqlite3"}')
  write(join(bs, 'src', 'better_sqlite3.cpp'), '// src')
  write(join(bs, 'deps', 'sqlite3.gyp'), '{}')
  write(join(bs, 'build', 'Release', 'better_sqlite3.node'), 'node_register_module_v115 (the Node build)')
  write(join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), '')
  write(join(root, 'package.json'), '{"name":"fake"}')
  return root
}

/** A stand-in for spawning node-gyp: "compiles" an addon for the given ABI where node-gyp would. */
function fakeGyp(abi: number | undefined, seen: Array<{ args: string[]; cwd?: string; env?: NodeJS.ProcessEnv }>) {
  return (_cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }) => {
    seen.push({ args, cwd: opts.cwd, env: opts.env })
    if (abi !== undefined) write(join(opts.cwd!, 'build', 'Release', 'better_sqlite3.node'), `\0node_register_module_v${abi}\0`)
    return { status: 0 }
  }
}

describe('findElectron', () => {
  it('reports a missing package, a package without its binary, and a complete install', () => {
    const root = tempRoot()
    expect(findElectron(root, {})).toMatchObject({ status: 'not-installed' })
    const pkg = join(root, 'node_modules', 'electron')
    write(join(pkg, 'package.json'), '{"name":"electron","version":"41.7.1"}')
    write(join(pkg, 'abi_version'), '145\n')
    expect(findElectron(root, {})).toMatchObject({ status: 'binary-missing', version: '41.7.1', abi: 145 })
    write(join(pkg, 'path.txt'), 'electron')
    write(join(pkg, 'dist', 'electron'), '#!/bin/sh\n')
    expect(findElectron(root, {})).toEqual({ status: 'ok', version: '41.7.1', abi: 145, binary: join(pkg, 'dist', 'electron') })
  })

  it("asks the Electron binary for its ABI, falling back to the package's abi_version", () => {
    const electron = { status: 'ok' as const, version: '41.7.1', abi: 145, binary: '/x/electron' }
    let env: NodeJS.ProcessEnv | undefined
    expect(electronModulesVersion(electron, (_c, _a, o) => ((env = o.env), { status: 0, stdout: '146\n' }))).toBe(146)
    expect(env?.['ELECTRON_RUN_AS_NODE']).toBe('1')
    expect(electronModulesVersion(electron, () => ({ status: 1, stdout: '', stderr: 'no display' }))).toBe(145)
  })
})

describe('building better-sqlite3 for Electron', () => {
  it("drops npm's Node-headers settings from node-gyp's environment", () => {
    const env = gypEnv({ npm_config_nodedir: '/usr', NPM_CONFIG_NODEDIR: '/usr', npm_config_target: '20.0.0', npm_config_disturl: 'x', npm_config_runtime: 'node', PATH: '/bin', npm_config_cache: '/c' })
    expect(env).toEqual({ PATH: '/bin', npm_config_cache: '/c' })
  })

  it('installs an addon only after reading ABI 145 from it, building in a private copy', () => {
    const root = fakeProject()
    const seen: Array<{ args: string[]; cwd?: string; env?: NodeJS.ProcessEnv }> = []
    const dest = buildElectronAddon({ root, electronVersion: '41.7.1', modules: 145, platform: 'linux', arch: 'x64', env: { npm_config_nodedir: '/usr', PATH: '/bin' }, run: fakeGyp(145, seen), log: () => {} })
    expect(dest).toBe(join(root, '.electron-native', 'abi145-linux-x64', 'better_sqlite3.node'))
    expect(JSON.parse(readFileSync(join(dirname(dest), 'build-info.json'), 'utf8'))).toMatchObject({ electron: '41.7.1', modules: 145, verifiedAbi: 145 })
    const { args, cwd, env } = seen[0]!
    expect(args).toEqual(expect.arrayContaining(['rebuild', '--target=41.7.1', '--arch=x64', '--dist-url=https://electronjs.org/headers']))
    expect(args.some((a) => a.startsWith('--nodedir'))).toBe(false)
    expect(env).not.toHaveProperty('npm_config_nodedir')
    expect(cwd).toBe(join(root, '.electron-native', 'build-abi145-linux-x64'))
    // The private build folder is cleaned up; the Node build is untouched.
    expect(readdirSync(join(root, '.electron-native')).sort()).toEqual(['abi145-linux-x64'])
    expect(readFileSync(join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), 'utf8')).toBe('node_register_module_v115 (the Node build)')
  })

  it('refuses a "successful" build that produced a Node-ABI addon (what rebuild tools do offline)', () => {
    const root = fakeProject()
    expect(() => buildElectronAddon({ root, electronVersion: '41.7.1', modules: 145, platform: 'linux', arch: 'x64', env: {}, run: fakeGyp(115, []), log: () => {} })).toThrow(
      /produced an addon for ABI 115, not Electron's 145/
    )
    expect(existsSync(join(root, '.electron-native', 'abi145-linux-x64'))).toBe(false)
    expect(readFileSync(join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), 'utf8')).toContain('the Node build')
  })

  it('reports a build that produced nothing (no headers, no compiler)', () => {
    const root = fakeProject()
    expect(() => buildElectronAddon({ root, electronVersion: '41.7.1', modules: 145, env: {}, run: fakeGyp(undefined, []), log: () => {} })).toThrow(/produced no better_sqlite3\.node/)
  })
})

describe('the scripts as npm runs them', () => {
  it('postinstall reports and exits 0', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/postinstall.mjs')], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^eCS Lab: /)
  })

  // (Without --check, npm start then serves the app to a browser: tests/e2e/start-without-electron.e2e.ts.)
  it.runIf(findElectron(ROOT).status !== 'ok')('npm start --check without the Electron binary says what is missing and how to get it', () => {
    const before = readFileSync(join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/start.mjs'), '--check'], { encoding: 'utf8' })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/npm start needs the Electron binary/)
    expect(r.stderr).toMatch(/node node_modules\/electron\/install\.js/)
    expect(r.stderr).toMatch(/npm run web/)
    expect(readFileSync(join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')).equals(before)).toBe(true)
  })
})
