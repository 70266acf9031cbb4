/**
 * Native-module selection: one install, two runtimes. Plain Node uses better-sqlite3's own build;
 * Electron uses the ABI-matched addon in .electron-native/ (development) or <resources>/native
 * (packaged), and only after reading the binary's ABI from the file itself. scripts/electron-env.mjs
 * (used by npm start) must agree with src/main/native-binding.ts on names and on the ABI reader.
 */
import Database from 'better-sqlite3'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as scriptEnv from '../../../scripts/electron-env.mjs'
import {
  ADDON_FILE,
  NATIVE_DIR,
  betterSqliteOptions,
  configureNativeBinding,
  electronBindingDirName,
  readAddonAbi,
  selectNativeBinding
} from '../../../src/main/native-binding'

const nodeAddon = join(createRequire(import.meta.url).resolve('better-sqlite3/package.json'), '..', 'build', 'Release', ADDON_FILE)
const electronRt = { electron: '41.7.1', modules: '145', platform: 'linux', arch: 'x64' }
const devPath = join('/proj', NATIVE_DIR, 'abi145-linux-x64', ADDON_FILE)

describe('selectNativeBinding', () => {
  it('plain Node: better-sqlite3 finds its own build', () => {
    expect(selectNativeBinding({ runtime: { modules: process.versions.modules, platform: 'linux', arch: 'x64' }, appRoot: '/proj', isPackaged: false }).kind).toBe('default')
  })

  it('Electron in development: the ABI-matched addon in .electron-native/', () => {
    const choice = selectNativeBinding({ runtime: electronRt, appRoot: '/proj', isPackaged: false, exists: (p) => p === devPath, readAbi: () => 145 })
    expect(choice).toEqual({ kind: 'file', path: devPath, reason: expect.stringContaining('Electron 41.7.1') })
  })

  it('Electron packaged: <resources>/native/better_sqlite3.node', () => {
    const path = join('/opt/ecs/resources', 'native', ADDON_FILE)
    const choice = selectNativeBinding({ runtime: electronRt, appRoot: '/opt/ecs/resources/app.asar', resourcesPath: '/opt/ecs/resources', isPackaged: true, exists: (p) => p === path, readAbi: () => 145 })
    expect(choice).toMatchObject({ kind: 'file', path })
  })

  it('missing addon: says what is missing and that npm start builds it', () => {
    const choice = selectNativeBinding({ runtime: electronRt, appRoot: '/proj', isPackaged: false, exists: () => false })
    expect(choice.kind).toBe('missing')
    expect(choice.kind === 'missing' && choice.message).toMatch(/Electron 41\.7\.1 \(ABI 145, linux-x64\) is missing.*npm start/)
  })

  it('an addon stamped for Electron but compiled for Node (ABI 115) is refused', () => {
    const choice = selectNativeBinding({ runtime: electronRt, appRoot: '/proj', isPackaged: false, exists: () => true, readAbi: () => 115 })
    expect(choice.kind === 'missing' && choice.message).toMatch(/built for ABI 115, not 145/)
  })
})

describe('readAddonAbi (the ABI comes from the binary, not from a build stamp)', () => {
  it("reads this Node's ABI from the installed better-sqlite3 build", () => {
    expect(readAddonAbi(nodeAddon)).toBe(Number(process.versions.modules))
  })

  it('reads the node_register_module_v<N> symbol; undefined for non-addons and missing files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-abi-'))
    writeFileSync(join(dir, 'fake.node'), Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]), Buffer.from('\0node_register_module_v145\0', 'latin1')]))
    writeFileSync(join(dir, 'text.node'), 'hello')
    expect(readAddonAbi(join(dir, 'fake.node'))).toBe(145)
    expect(readAddonAbi(join(dir, 'text.node'))).toBeUndefined()
    expect(readAddonAbi(join(dir, 'absent.node'))).toBeUndefined()
  })
})

describe('betterSqliteOptions', () => {
  it('passes the chosen file as nativeBinding, and better-sqlite3 loads it', () => {
    configureNativeBinding({ kind: 'file', path: nodeAddon, reason: 'test' })
    const opts = betterSqliteOptions()
    expect(opts).toEqual({ nativeBinding: nodeAddon })
    const db = new Database(':memory:', opts)
    expect(db.prepare('select 6 * 7 as x').get()).toEqual({ x: 42 })
    db.close()
  })

  it('is empty under plain Node', () => {
    configureNativeBinding({ kind: 'default', reason: 'test' })
    expect(betterSqliteOptions()).toEqual({})
  })

  it('throws the actionable message when Electron has no usable addon', () => {
    configureNativeBinding({ kind: 'missing', message: 'better-sqlite3 for Electron is missing: run npm start' })
    expect(() => betterSqliteOptions()).toThrow(/run npm start/)
    configureNativeBinding({ kind: 'default', reason: 'reset' })
  })
})

describe('npm start and the app agree', () => {
  it('on the folder layout', () => {
    expect(scriptEnv.NATIVE_DIR).toBe(NATIVE_DIR)
    expect(scriptEnv.ADDON_FILE).toBe(ADDON_FILE)
    for (const rt of [electronRt, { modules: '132', platform: 'darwin', arch: 'arm64' }, { modules: '145', platform: 'win32', arch: 'x64' }]) {
      expect(scriptEnv.bindingDirName(rt)).toBe(electronBindingDirName(rt))
    }
  })

  it('on the ABI of a real addon', () => {
    expect(scriptEnv.readAddonAbi(nodeAddon)).toBe(readAddonAbi(nodeAddon))
  })
})
