/**
 * The Docs page's HTML from a committed document (docs:get): markdown rendered with `marked` (GFM:
 * tables, lists, code), then sanitised with DOMPurify before it reaches the page. The CSP stays strict:
 * figures are not fetched but shown as images from data: URLs (img-src allows 'self' data: blob:), each
 * SVG sanitised on its own first (an SVG shown through <img> runs no script and loads nothing, and its
 * <style> cannot reach the page, which inline SVG would allow).
 *
 * Links: the other document (REPORT.md <-> VALIDATION.md) becomes the app's own route, https links stay
 * (they open in the browser; the desktop shell allow-lists their hosts), and any other relative link (a
 * file of the source tree the app does not ship) is shown as its text only.
 */
import { Marked, type Tokens } from 'marked'
import DOMPurify from 'dompurify'
import { DOCS, type DocName } from '../../../shared/ipc/docs'
import { escapeHtml } from '../../../shared/html'

/** The app route of a document. */
export const docRoute = (name: DocName) => `/docs/${name}`

/** A document file name (REPORT.md, ./VALIDATION.md, docs/REPORT.md#x) -> its name, else null. */
export function docOfHref(href: string): DocName | null {
  const file = href.replace(/^\.\//, '').replace(/^docs\//, '').replace(/#.*$/, '')
  for (const [name, d] of Object.entries(DOCS)) if (d.file === file) return name as DocName
  return null
}

/** A sanitised SVG as a data: URL for an <img>, or null when nothing drawable is left. */
export function svgDataUrl(svg: string): string | null {
  // Parsed as XML (the file is an SVG document), so the serialised result is XML again, namespaces kept.
  const clean = DOMPurify.sanitize(svg, { USE_PROFILES: { svg: true, svgFilters: true }, PARSER_MEDIA_TYPE: 'application/xhtml+xml' })
  if (!/^\s*<svg[\s>]/.test(clean)) return null
  const withNs = /^\s*<svg[^>]*\sxmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(clean) ? clean : clean.replace(/^\s*<svg/, '<svg xmlns="http://www.w3.org/2000/svg"')
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(withNs)}`
}

export interface RenderedDoc {
  html: string
  /** Figure references that had no (drawable) figure. */
  missing: string[]
}

/** Markdown + figures (by relative path) -> sanitised HTML. */
export function renderDoc(markdown: string, figures: Readonly<Record<string, string>>): RenderedDoc {
  const missing: string[] = []
  const urls = new Map<string, string | null>()
  const figureUrl = (ref: string) => {
    if (!urls.has(ref)) urls.set(ref, figures[ref] !== undefined ? svgDataUrl(figures[ref]) : null)
    return urls.get(ref) ?? null
  }
  const marked = new Marked({ gfm: true, async: false })
  marked.use({
    renderer: {
      image({ href, title, text }: Tokens.Image): string {
        const url = figureUrl(href)
        if (!url) {
          missing.push(href)
          return `<span class="doc-missing-figure" data-testid="doc-missing-figure">[figure ${escapeHtml(href)} is not shipped with this build]</span>`
        }
        return `<img class="doc-figure" src="${url}" alt="${escapeHtml(text)}"${title ? ` title="${escapeHtml(title)}"` : ''} data-figure="${escapeHtml(href)}" />`
      },
      link(this: { parser: { parseInline(tokens: Tokens.Link['tokens']): string } }, { href, title, tokens }: Tokens.Link): string {
        const text = this.parser.parseInline(tokens)
        const doc = docOfHref(href)
        const t = title ? ` title="${escapeHtml(title)}"` : ''
        if (doc) return `<a href="#${docRoute(doc)}" data-doc-link="${doc}"${t}>${text}</a>`
        if (/^https:\/\//i.test(href)) return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer"${t}>${text}</a>`
        return `<span class="doc-local-link" title="${escapeHtml(href)} (in the source tree)">${text}</span>`
      }
    }
  })
  // a value with its interval ("0.97 [0.84, 1.10]") stays on one line in narrow table cells
  const raw = (marked.parse(markdown) as string).replace(/(\d) \[(-?[\d.]+), (-?[\d.]+)\]/g, '$1\u00a0[$2,\u00a0$3]')
  const html = DOMPurify.sanitize(raw, { ADD_ATTR: ['target'], FORBID_TAGS: ['style', 'form', 'input', 'button'] })
  return { html, missing }
}
