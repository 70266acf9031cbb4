/**
 * docs:get — the committed documents (docs/REPORT.md, docs/VALIDATION.md) and the SVG figures they
 * reference, for the app's Docs page. Read-only. The name is an enum checked by the contract; the
 * file comes from shared/ipc/docs.ts DOCS, and a figure is read only when its reference matches
 * `figures/<name>.svg` (no '..', no other folder), so nothing outside docs/ is ever opened.
 *
 * Where docs/ is: the source tree under tsx (src/main/services -> ../../../docs), the package root in a
 * build (out/main or out/node -> ../../docs), and inside app.asar in the packaged app (electron-builder.yml
 * `files` packs docs/*.md and docs/figures/*.svg; Electron reads asar paths with plain fs).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ApiError, type Handlers } from '../../shared/ipc'
import { DOC_FIGURE_PATH, DOCS, type DocContent, type DocName } from '../../shared/ipc/docs'

/** The folders docs/ may be in, nearest first (see the file comment). */
export function docsDirCandidates(base = __dirname): string[] {
  return ['../../../docs', '../../docs', '../docs'].map((r) => join(base, r))
}

/** Figure references of a markdown text (`![alt](figures/x.svg)`), each once, in order. */
export function figureRefs(markdown: string): string[] {
  const out: string[] = []
  for (const m of markdown.matchAll(/!\[[^\]]*\]\(\s*([^)\s]+)(?:\s+"[^"]*")?\s*\)/g)) {
    const ref = m[1]!
    if (DOC_FIGURE_PATH.test(ref) && !out.includes(ref)) out.push(ref)
  }
  return out
}

/** Reads one document and its figures from the first candidate folder that holds it. */
export function readDoc(name: DocName, dirs = docsDirCandidates()): DocContent {
  const doc = DOCS[name]
  for (const dir of dirs) {
    const path = join(dir, doc.file)
    if (!existsSync(path)) continue
    const markdown = readFileSync(path, 'utf8')
    const figures: Record<string, string> = {}
    for (const ref of figureRefs(markdown)) {
      const fig = join(dir, ref)
      if (existsSync(fig)) figures[ref] = readFileSync(fig, 'utf8')
    }
    return { name, title: doc.title, markdown, figures, source: `docs/${doc.file}` }
  }
  throw new ApiError(`docs/${doc.file} is not shipped with this build (looked in ${dirs.length} places)`, 'not-found', 'DocNotFound')
}

export function docsHandlers(): Pick<Handlers, 'docs:get'> {
  return { 'docs:get': (args) => readDoc(args.name) }
}
