/**
 * Electron security scan in npm test: Doyensec's electronegativity over src/ must report no HIGH
 * finding. The tool exits 0 whatever it finds, so scripts/security-scan.mjs parses its CSV report;
 * a deliberately insecure fixture proves the gate really fails.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findingsFromCsv, parseCsv } from '../../../scripts/security-scan.mjs'

const ROOT = resolve(__dirname, '../../..')
const SCRIPT = join(ROOT, 'scripts/security-scan.mjs')

function runScan(dir: string) {
  const r = spawnSync(process.execPath, [SCRIPT, dir, '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 })
  if (!r.stdout.trim().startsWith('{')) throw new Error(`security-scan printed no report (exit ${r.status}): ${r.stderr}`)
  return { status: r.status, report: JSON.parse(r.stdout) as { ok: boolean; checks: number; high: Array<{ id: string; file: string; location: string }>; findings: unknown[]; fatalParseErrors: unknown[] } }
}

describe('electronegativity', () => {
  it('finds no HIGH-severity issue in src/', { timeout: 300_000 }, () => {
    const { status, report } = runScan(join(ROOT, 'src'))
    expect(report.checks).toBeGreaterThan(30)
    expect(report.high, JSON.stringify(report.high, null, 2)).toEqual([])
    expect(report.fatalParseErrors).toEqual([])
    expect(status).toBe(0)
  })

  it('fails on an insecure window (the gate is not a no-op)', { timeout: 300_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-insecure-'))
    mkdirSync(join(dir, 'main'))
    writeFileSync(
      join(dir, 'main', 'index.js'),
      "const { BrowserWindow } = require('electron')\nnew BrowserWindow({ webPreferences: { contextIsolation: false, nodeIntegration: true, sandbox: false } })\n"
    )
    const { status, report } = runScan(dir)
    expect(status).toBe(1)
    expect(report.ok).toBe(false)
    expect(report.high.map((f) => f.id)).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']))
  })
})

describe('CSV report parsing', () => {
  it('handles quoted fields with commas, quotes and newlines', () => {
    expect(parseCsv('a, b\n1,"x, ""y""\nz"\r\n')).toEqual([
      ['a', ' b'],
      ['1', 'x, "y"\nz']
    ])
  })

  it('maps columns by header name', () => {
    const csv = 'issue, severity, confidence, filename, location, sample, description, url\nCONTEXT_ISOLATION_JS_CHECK,"HIGH","FIRM","main/index.ts","26:15","new BrowserWindow({","Review, please",https://x\n'
    expect(findingsFromCsv(csv)).toEqual([
      { id: 'CONTEXT_ISOLATION_JS_CHECK', severity: 'HIGH', confidence: 'FIRM', file: 'main/index.ts', location: '26:15', description: 'Review, please' }
    ])
  })
})
