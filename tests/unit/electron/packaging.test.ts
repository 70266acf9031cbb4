/**
 * Packaging configuration (electron-builder.yml, package.json) as the issue specifies it: Linux
 * AppImage + deb, Windows NSIS, macOS dmg, the icon in resources/, the Electron-ABI addon shipped where
 * src/main/native-binding.ts looks for it, no rebuild of node_modules at packaging time, and an install
 * that never depends on the Electron binary.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ADDON_FILE, electronBindingPath } from '../../../src/main/native-binding'
import { figureRefs } from '../../../src/main/services/docs'

const ROOT = resolve(__dirname, '../../..')
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'))
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))

describe('electron-builder.yml', () => {
  it('targets AppImage + deb, NSIS and dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.win.target).toEqual(['nsis'])
    expect(config.mac.target).toEqual(['dmg'])
  })

  it('uses a square PNG icon of at least 512 px from resources/', () => {
    expect(config.directories.buildResources).toBe('resources')
    for (const os of ['linux', 'win', 'mac']) expect(config[os].icon).toBe('resources/icon.png')
    const png = readFileSync(join(ROOT, 'resources/icon.png'))
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    const width = png.readUInt32BE(16)
    const height = png.readUInt32BE(20)
    expect(width).toBe(height)
    expect(width).toBeGreaterThanOrEqual(512)
  })

  it('ships the Electron-ABI addon exactly where the packaged app looks for it', () => {
    expect(config.extraResources).toEqual([{ from: '.electron-native/dist/better_sqlite3.node', to: `native/${ADDON_FILE}` }])
    const runtime = { electron: '41.7.1', modules: '145', platform: 'linux', arch: 'x64' }
    expect(electronBindingPath({ runtime, appRoot: '/x/resources/app.asar', resourcesPath: '/x/resources', isPackaged: true })).toBe(join('/x/resources', 'native', ADDON_FILE))
  })

  it('never rebuilds node_modules (that would replace the Node-ABI build npm test uses)', () => {
    expect(config.npmRebuild).toBe(false)
    expect(config.nodeGypRebuild).toBe(false)
    expect(config.files).toEqual(expect.arrayContaining(['out/**', '!node_modules/electron/**', '!node_modules/better-sqlite3/{build,deps,src,binding.gyp}/**']))
  })

  it('ships the documents the Docs page reads (docs:get) and every figure they reference', () => {
    expect(config.files).toEqual(expect.arrayContaining(['docs/REPORT.md', 'docs/VALIDATION.md', 'docs/figures/*.svg']))
    for (const doc of ['REPORT.md', 'VALIDATION.md']) {
      const md = readFileSync(join(ROOT, 'docs', doc), 'utf8')
      for (const ref of figureRefs(md)) expect(existsSync(join(ROOT, 'docs', ref)), `${doc} -> ${ref}`).toBe(true)
      expect(figureRefs(md).length, doc).toBeGreaterThan(0)
    }
  })

  it('flips the Electron fuses that turn the app into a general-purpose Node runtime', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true
    })
  })
})

describe('package.json', () => {
  it('keeps electron optional so an install without its binary still succeeds', () => {
    expect(pkg.optionalDependencies?.electron).toMatch(/^\d+\.\d+\.\d+$/)
    expect(pkg.dependencies?.electron).toBeUndefined()
    expect(pkg.devDependencies?.electron).toBeUndefined()
  })

  it('wires start, dist and postinstall to the scripts that check before they build', () => {
    expect(pkg.scripts.start).toBe('node scripts/start.mjs')
    expect(pkg.scripts.postinstall).toBe('node scripts/postinstall.mjs')
    expect(pkg.scripts.dist).toMatch(/^node scripts\/start\.mjs --prepare-native && electron-vite build && electron-builder/)
    // No rebuild tool anywhere in the install path.
    expect(JSON.stringify(pkg.scripts)).not.toMatch(/install-app-deps|electron-rebuild|@electron\/rebuild/)
  })
})
