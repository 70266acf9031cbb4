#!/usr/bin/env node
// Electron security scan: runs Doyensec's electronegativity over the sources and fails on any
// HIGH-severity finding. Two traps make the obvious `npx electronegativity -i src` useless as a gate:
// it exits 0 even with HIGH findings, and its CLI breaks outright here (it require()s an undeclared
// `commander` and gets the project's commander 14, whose API it does not know). So this script calls
// its documented programmatic entry, writes the CSV report, and decides from the parsed CSV.
//
//   node scripts/security-scan.mjs [dir=src] [--json]
//
// Exit 0: no HIGH finding and every Electron-side file (main, preload) parsed. Exit 1 otherwise.
// Lower-severity findings are printed for review, not fatal. tests/unit/electron/electronegativity.test.ts
// runs it in npm test.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative, resolve, sep } from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ROOT } from './electron-env.mjs'

/** Files whose parse failure makes the scan incomplete (the Electron-facing code). */
const MUST_PARSE = [`main${sep}`, `preload${sep}`]

/** Minimal RFC 4180 CSV parser (quoted fields, doubled quotes, commas and newlines inside quotes). */
export function parseCsv(text) {
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += ch
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows.filter((r) => r.length > 1 || r[0] !== '')
}

/** electronegativity's CSV report -> [{ id, severity, confidence, file, location, sample, description, url }]. */
export function findingsFromCsv(text) {
  const [header, ...rows] = parseCsv(text)
  if (!header) return []
  const names = header.map((h) => h.trim().toLowerCase())
  const col = (name) => {
    const i = names.indexOf(name)
    if (i < 0) throw new Error(`electronegativity CSV has no "${name}" column (got: ${names.join(', ')})`)
    return i
  }
  const c = { id: col('issue'), severity: col('severity'), confidence: col('confidence'), file: col('filename'), location: col('location'), description: col('description') }
  return rows.map((r) => ({
    id: r[c.id].trim(),
    severity: r[c.severity].trim().toUpperCase(),
    confidence: r[c.confidence].trim().toUpperCase(),
    file: r[c.file].trim(),
    location: r[c.location].trim(),
    description: r[c.description].trim()
  }))
}

function electronVersion() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  return String(pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron ?? '').replace(/^[^\d]*/, '') || undefined
}

/**
 * Child-process half: runs electronegativity, lets it write its CSV report, prints a JSON summary.
 * It runs in its own process because the tool registers globals, prints freely and writes the
 * report with un-awaited fs.writeFile calls: only the process's exit guarantees the file is complete.
 */
async function child(input, output) {
  const run = createRequire(join(ROOT, 'package.json'))('@doyensec/electronegativity')
  const log = console.log
  console.log = () => {}
  let result
  try {
    result = await run(
      { input, output, isSarif: false, customScan: [], excludeFromScan: [], isRelative: true, isVerbose: false, parserPlugins: [], electronVersionOverride: electronVersion() },
      false
    )
  } finally {
    console.log = log
  }
  process.stdout.write(JSON.stringify({ checks: result.globalChecks + result.atomicChecks, issueCount: result.issues.length, errors: result.errors }) + '\n')
}

function runChild(input, output) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', input, output], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
  const line = String(r.stdout ?? '').trim().split('\n').pop() ?? ''
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`electronegativity did not run (exit ${r.status ?? r.signal}): ${String(r.stderr ?? '').trim().slice(-2000)}`)
  return JSON.parse(line)
}

export async function scan(input) {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-electronegativity-'))
  try {
    // The tool writes the CSV header and body with two racing writeFile calls; a lost header or body
    // shows up as a count mismatch, and the scan is repeated rather than trusted.
    for (let attempt = 1; ; attempt++) {
      const output = join(dir, `report-${attempt}.csv`)
      const summary = runChild(input, output)
      let findings
      try {
        findings = findingsFromCsv(readFileSync(output, 'utf8'))
      } catch (err) {
        if (attempt < 3) continue
        throw err
      }
      if (findings.length !== summary.issueCount) {
        if (attempt < 3) continue
        throw new Error(`electronegativity reported ${summary.issueCount} issues but its CSV lists ${findings.length}`)
      }
      const fatalParseErrors = summary.errors
        .filter((e) => !e.tolerable)
        .map((e) => ({ file: relative(input, e.file), message: e.message }))
        .filter((e) => MUST_PARSE.some((p) => e.file.startsWith(p)))
      return { checks: summary.checks, findings, fatalParseErrors, high: findings.filter((f) => f.severity === 'HIGH') }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function main(argv = process.argv.slice(2)) {
  const json = argv.includes('--json')
  const input = resolve(ROOT, argv.find((a) => !a.startsWith('--')) ?? 'src')
  const report = await scan(input)
  const ok = report.high.length === 0 && report.fatalParseErrors.length === 0
  if (json) {
    process.stdout.write(JSON.stringify({ ok, input, ...report }, null, 2) + '\n')
  } else {
    console.log(`electronegativity: ${report.checks} checks over ${input}`)
    for (const f of report.findings) console.log(`  ${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id.padEnd(36)} ${f.file}:${f.location}  ${f.description}`)
    for (const e of report.fatalParseErrors) console.log(`  PARSE ERROR ${e.file}: ${e.message}`)
    console.log(ok ? 'electronegativity: no HIGH finding' : `electronegativity: FAILED (${report.high.length} HIGH, ${report.fatalParseErrors.length} unparsed Electron files)`)
  }
  return ok ? 0 : 1
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).catch((err) => {
    console.error(err instanceof Error ? err.stack : String(err))
    process.exitCode = 1
  })
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => {
      process.exitCode = code
    },
    (err) => {
      console.error(`security-scan: ${err instanceof Error ? err.stack : String(err)}`)
      process.exitCode = 2
    }
  )
}
