#!/usr/bin/env node
// Compiles the plain-Node entry points to JavaScript in out/node/ (esbuild; native addons and the
// on-demand figure renderer stay in node_modules, the pure-JS packages are bundled):
//
//   out/node/cli.mjs                 the `ecs-lab` command line (bin/ecs-lab.cjs runs it)
//   out/node/web.mjs                 the loopback web harness (`npm run web`, `npm start` without Electron)
//   out/node/chunk-<hash>.mjs        code they share, loaded when a command needs it
//   out/node/sim-worker.node.cjs     the simulation worker thread both of them start
//
// The worker keeps the name src/main/sim-host/one-shot.ts asks for beside itself (`__dirname` is
// out/node in every output file: chunks sit beside the entries), so the compiled CLI and web server start the compiled engine, while the
// sources under tsx (tests, bench) keep starting src/main/sim-host/sim-worker.node.cjs. out/node sits two
// levels under the root like src/<layer>, so `../../package.json` and `../../out/renderer` hold in both.
//
// Run by `npm run build`, by `postinstall` (a fresh clone's `npx ecs-lab` works right after
// `npm install`) and by bin/ecs-lab.cjs when a source file is newer than its bundle. Each file is written
// to a temporary name and renamed, so a concurrent reader never sees half a bundle.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const OUT_DIR = join(ROOT, 'out', 'node')

/** The command line and the web server: ES modules with shared chunks, so a command loads only its code. */
export const ENTRIES = { cli: 'src/cli/main.ts', web: 'src/web/serve.ts' }
/** The worker thread: one CommonJS file, the name src/main/sim-host/one-shot.ts starts. */
export const WORKER = { 'sim-worker.node': 'src/main/sim-host/sim-worker.ts' }

/** Loaded from node_modules at run time: native addons, and the figure renderer (imported on demand). */
export const EXTERNAL = ['better-sqlite3', '@resvg/resvg-js', 'echarts', 'echarts/*']

// The sources are written for CommonJS (__dirname, require): give every ES module chunk both.
const ESM_BANNER = [
  "import { createRequire as __ecsCreateRequire } from 'node:module';",
  "import { fileURLToPath as __ecsFileURLToPath } from 'node:url';",
  "import { dirname as __ecsDirname } from 'node:path';",
  'const require = __ecsCreateRequire(import.meta.url);',
  'const __filename = __ecsFileURLToPath(import.meta.url);',
  'const __dirname = __ecsDirname(__filename);'
].join('\n')

export async function buildNode({ root = ROOT, quiet = false } = {}) {
  const esbuild = await import('esbuild')
  const started = process.hrtime.bigint()
  const outdir = join(root, 'out', 'node')
  const common = {
    absWorkingDir: root,
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // Pure-JS packages (zod, yaml, commander, ...) are bundled: a few files to read and compile instead
    // of hundreds; native and on-demand ones stay in node_modules.
    external: EXTERNAL,
    sourcemap: 'linked',
    logLevel: 'silent',
    write: false
  }
  const entry = (map) => Object.fromEntries(Object.entries(map).map(([out, src]) => [out, join(root, src)]))
  const results = await Promise.all([
    esbuild.build({ ...common, entryPoints: entry(ENTRIES), format: 'esm', splitting: true, outExtension: { '.js': '.mjs' }, chunkNames: 'chunk-[hash]', banner: { js: ESM_BANNER } }),
    esbuild.build({ ...common, entryPoints: entry(WORKER), format: 'cjs', outExtension: { '.js': '.cjs' } })
  ])
  mkdirSync(outdir, { recursive: true })
  const files = results.flatMap((r) => r.outputFiles)
  for (const f of files) {
    const tmp = `${f.path}.${process.pid}.tmp`
    writeFileSync(tmp, f.contents)
    renameSync(tmp, f.path)
  }
  // Chunks of an older build go (their names carry a content hash; the new entries do not use them).
  const written = new Set(files.map((f) => basename(f.path)))
  for (const name of readdirSync(outdir)) {
    if (name.startsWith('chunk-') && !written.has(name)) rmSync(join(outdir, name), { force: true })
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (!quiet) console.log(`build-node: out/node/{cli,web}.mjs + chunks, out/node/sim-worker.node.cjs (${ms.toFixed(0)} ms)`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildNode({ quiet: process.argv.includes('--quiet') }).catch((err) => {
    console.error(`build-node: ${err instanceof Error ? err.message : String(err)}`)
    process.exitCode = 1
  })
}
