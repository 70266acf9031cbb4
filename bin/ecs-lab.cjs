#!/usr/bin/env node
// `ecs-lab` entry: runs the compiled command line, out/node/cli.mjs (scripts/build-node.mjs builds it at
// `npm install` and `npm run build`). No TypeScript is compiled at start.
//
// In a checkout (src/ present) the bundle is rebuilt first when a source file it is made from is newer,
// so an edited CLI or engine is never run stale; ECS_LAB_NO_REBUILD=1 skips that check.
'use strict'
const { existsSync, readdirSync, statSync } = require('node:fs')
const { join } = require('node:path')
const { pathToFileURL } = require('node:url')
const { spawnSync } = require('node:child_process')

const root = join(__dirname, '..')
const bundle = join(root, 'out', 'node', 'cli.mjs')
// The layers the plain-Node bundles are made from (src/renderer and src/preload are not in them).
const SOURCE_DIRS = ['src/cli', 'src/sim', 'src/shared', 'src/main', 'src/web']

/** Newest mtime (ms) of the .ts files under `dir`, or 0. */
function newestSource(dir) {
  let newest = 0
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return 0
  }
  for (const e of entries) {
    const p = join(dir, e.name)
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p))
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs)
  }
  return newest
}

function needsBuild() {
  if (!existsSync(bundle)) return true
  if (process.env.ECS_LAB_NO_REBUILD === '1' || !existsSync(join(root, 'src'))) return false
  const built = statSync(bundle).mtimeMs
  return SOURCE_DIRS.some((d) => newestSource(join(root, d)) > built)
}

if (needsBuild()) {
  const script = join(root, 'scripts', 'build-node.mjs')
  const r = existsSync(script) ? spawnSync(process.execPath, [script, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] }) : { status: 1 }
  if (r.status !== 0 || !existsSync(bundle)) {
    process.stderr.write(`ecs-lab: the compiled command line (${bundle}) is missing or out of date and could not be built; run \`npm install\` (or \`npm run build\`) in ${root}\n`)
    process.exit(1)
  }
}

import(pathToFileURL(bundle).href)
  .then(({ main }) => main(process.argv.slice(2)))
  .then((code) => { process.exitCode = code })
