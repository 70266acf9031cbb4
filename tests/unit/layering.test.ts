/**
 * The layering is mechanical: this test writes a file with a forbidden import into a pure layer and
 * asserts that both guards reject it — ESLint's no-restricted-imports rule and the pure tsconfig
 * (lib ES2022, types []), where Node's modules simply do not exist.
 */
import { describe, expect, it, afterEach } from 'vitest'
import { ESLint } from 'eslint'
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(__dirname, '../..')
const probeDir = join(root, 'src/sim/__layering_probe__')
const probeFile = join(probeDir, 'probe.ts')

function writeProbe(source: string): void {
  mkdirSync(probeDir, { recursive: true })
  writeFileSync(probeFile, source)
}

async function lintProbe(): Promise<string[]> {
  const eslint = new ESLint({ cwd: root })
  const [res] = await eslint.lintFiles([probeFile])
  return res.messages.map((m) => `${m.ruleId}: ${m.message}`)
}

afterEach(() => rmSync(probeDir, { recursive: true, force: true }))

describe('layering', () => {
  it('lint rejects node:fs imported inside src/sim', async () => {
    writeProbe("import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n")
    const msgs = await lintProbe()
    expect(msgs.some((m) => m.startsWith('no-restricted-imports') && m.includes('pure TypeScript'))).toBe(true)
  })

  it('lint rejects electron, vue and better-sqlite3 inside src/sim', async () => {
    writeProbe("import { app } from 'electron'\nimport { ref } from 'vue'\nimport Db from 'better-sqlite3'\nexport const x = [app, ref, Db]\n")
    const msgs = (await lintProbe()).filter((m) => m.startsWith('no-restricted-imports'))
    expect(msgs).toHaveLength(3)
  })

  it('lint rejects a sim import of main, and Math.random / Date.now', async () => {
    writeProbe("import { createServices } from '../../main/services'\nexport const x = [createServices, Math.random(), Date.now()]\n")
    const msgs = await lintProbe()
    expect(msgs.some((m) => m.includes('Bad layering'))).toBe(true)
    expect(msgs.filter((m) => m.startsWith('no-restricted-properties'))).toHaveLength(2)
  })

  it('a clean sim file passes lint', async () => {
    writeProbe('export const twice = (x: number): number => 2 * x\n')
    expect(await lintProbe()).toEqual([])
  })

  it('the pure tsconfig cannot even resolve node:fs', () => {
    writeProbe("import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n")
    let output = ''
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.sim.json', '--noEmit'], { cwd: root, encoding: 'utf8' })
    } catch (err) {
      output = String((err as { stdout?: string }).stdout)
    }
    expect(output).toMatch(/__layering_probe__\/probe\.ts.*Cannot find (module|name) 'node:fs'/)
  })
})
