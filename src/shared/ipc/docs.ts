/**
 * Docs: the project's generated documents the app links to (docs/REPORT.md, the paper reproduction, and
 * docs/VALIDATION.md, the model against real guests), read-only. The renderer names a document by an
 * enum, never by a path: main maps the name to its file, so no path chosen by a page is ever opened.
 */
import { z } from 'zod'
import { invoke } from './define'

/** The documents the app can show: name -> file under docs/ and the page title. */
export const DOCS = {
  report: { file: 'REPORT.md', title: 'Paper reproduction (REPORT.md)' },
  validation: { file: 'VALIDATION.md', title: 'Validation against real guests (VALIDATION.md)' }
} as const
export type DocName = keyof typeof DOCS
export const DOC_NAMES = Object.keys(DOCS) as [DocName, ...DocName[]]

/** `docs:get`'s argument: `{ name }`, the name one of DOC_NAMES. */
export const docRequestSchema = z.object({
  name: z.enum(DOC_NAMES, {
    error: (i) => (i.input === undefined ? `required: one of ${DOC_NAMES.join(', ')}` : `unknown document ${JSON.stringify(i.input)}: name must be one of ${DOC_NAMES.join(', ')}`)
  })
}).strict()
export type DocRequest = z.input<typeof docRequestSchema>

/** A figure file the documents reference: `figures/<name>.svg` (lowercase letters, digits, dashes). */
export const DOC_FIGURE_PATH = /^figures\/[a-z0-9][a-z0-9-]{0,99}\.svg$/

export interface DocContent {
  name: DocName
  title: string
  /** The document's markdown, as committed. */
  markdown: string
  /**
   * The SVG figures the markdown references (`![...](figures/x.svg)`), by that relative path, as SVG
   * text. The renderer sanitises each and shows it as a data: URL image (the CSP allows img-src data:).
   * A referenced figure that is missing is absent here (the page says so in place of the image).
   */
  figures: Record<string, string>
  /** Where the document was read from, relative to the app (for the page's footnote). */
  source: string
}

export const docsChannels = {
  /** One of the committed documents with its figures (read-only). */
  'docs:get': invoke<DocContent>()(z.tuple([docRequestSchema]))
} as const
