/**
 * Figure export for any chart: vector SVG (ECharts' SVG renderer, server-side mode), PDF with the
 * DejaVu Sans font embedded (jspdf + svg2pdf.js), PNG at a chosen physical width and dpi (canvas
 * renderer at dpi / 72 pixels per point, resolution written into the PNG), and the CSV of the plotted
 * data. Figures are laid out in points in the shared paper style (src/shared/charts), so the app and
 * `ecs-lab figure` draw the same figure. Files are saved through a Blob + <a download>.
 */
import { init, use } from 'echarts/core'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'
import { BarChart, CustomChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts'
import { AriaComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, ParallelComponent, TitleComponent, TooltipComponent } from 'echarts/components'
import { ref } from 'vue'
import {
  atWidthIn,
  buildFigure,
  COLUMN_WIDTH_IN,
  csvFromOption,
  FONT_FAMILY,
  figureStyle,
  paperize,
  pngPixelSize,
  withPngDpi,
  type EChartsOption,
  type Figure,
  type FigureDataMap,
  type FigureKind,
  type FigureStyle
} from '../../../shared/charts'

use([SVGRenderer, CanvasRenderer, BarChart, LineChart, CustomChart, ScatterChart, ParallelChart, GridComponent, LegendComponent, TooltipComponent, TitleComponent, AriaComponent, MarkLineComponent, MarkAreaComponent, ParallelComponent])

export type ExportFormat = 'svg' | 'pdf' | 'png' | 'csv'
export type PaperPreset = 'paper-1col' | 'paper-2col'

export interface ExportableFigure {
  /** What the chart shows (an option builder's output; csv optional for charts without one). */
  figure?: { option: EChartsOption; csv?: string }
  /** Rebuilds the figure in a given style (buildFigure's builders): exports then use the paper layout exactly. */
  build?: (style: FigureStyle) => Figure
  /** Shorthand for build: the shared builder's kind + data (`buildFigure(kind, data, style)`). */
  spec?: FigureSpecLike
}

/** `{kind, data}` for buildFigure (a discriminated pair; kept loose so any FigureSpec fits). */
export interface FigureSpecLike {
  kind: FigureKind
  data: FigureDataMap[FigureKind]
}

function builderOf(f: ExportableFigure): ((style: FigureStyle) => Figure) | undefined {
  if (f.build) return f.build
  const spec = f.spec
  if (spec) return (style) => buildFigure(spec.kind, spec.data as never, style)
  return undefined
}

export interface ExportSettings {
  preset: PaperPreset
  /** Physical width in inches (defaults to the preset's column width). */
  widthIn?: number
  dpi: number
}

export const DPI_PRESETS = [150, 300, 600] as const

export function exportStyle(s: ExportSettings): FigureStyle {
  return atWidthIn(figureStyle(s.preset), s.widthIn ?? COLUMN_WIDTH_IN[s.preset])
}

/** The option as exported: rebuilt in the paper style when possible, otherwise restyled. */
export function exportOption(f: ExportableFigure, style: FigureStyle): EChartsOption {
  const build = builderOf(f)
  if (build) return build(style).option
  if (!f.figure) throw new Error('nothing to export: the chart has no option')
  return paperize(f.figure.option, style)
}

export function exportCsv(f: ExportableFigure): string {
  if (f.figure?.csv !== undefined) return f.figure.csv
  const build = builderOf(f)
  if (build) return build(figureStyle('paper-1col')).csv
  if (!f.figure) throw new Error('nothing to export: the chart has no data')
  return csvFromOption(f.figure.option)
}

export function renderSvg(option: EChartsOption, style: FigureStyle): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: style.widthPt, height: style.heightPt })
  try {
    chart.setOption(option)
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

let fontBytes: Promise<ArrayBuffer> | null = null
/**
 * The vendored TTF as bytes. Inlined into a lazily loaded chunk (a data URL) rather than fetched:
 * the desktop app loads from file://, where fetch() cannot read files.
 */
function loadFontBytes(): Promise<ArrayBuffer> {
  fontBytes ??= import('../../../../resources/fonts/DejaVuSans.ttf?inline').then(({ default: dataUrl }) => {
    const bin = atob(dataUrl.slice(dataUrl.indexOf(',') + 1))
    const bytes = new Uint8Array(bin.length)
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
    return bytes.buffer
  })
  return fontBytes
}

let fontFace: Promise<void> | null = null
/** Makes DejaVu Sans available to canvas text (PNG) from the vendored TTF. */
function ensureCanvasFont(): Promise<void> {
  fontFace ??= loadFontBytes().then(async (buf) => {
    const face = new FontFace(FONT_FAMILY, buf)
    await face.load()
    document.fonts.add(face)
  })
  return fontFace
}

export async function renderPng(option: EChartsOption, style: FigureStyle, dpi: number): Promise<{ bytes: Uint8Array; width: number; height: number }> {
  await ensureCanvasFont()
  const { pixelRatio } = pngPixelSize(style, dpi)
  const host = document.createElement('div')
  host.style.cssText = `position:fixed;left:-100000px;top:0;width:${style.widthPt}px;height:${style.heightPt}px`
  document.body.appendChild(host)
  const chart = init(host, null, { renderer: 'canvas', width: style.widthPt, height: style.heightPt, devicePixelRatio: pixelRatio })
  try {
    chart.setOption({ ...option, backgroundColor: style.background === 'transparent' ? '#ffffff' : style.background })
    const url = chart.getDataURL({ type: 'png', pixelRatio, backgroundColor: style.background === 'transparent' ? '#ffffff' : style.background })
    const bin = atob(url.slice(url.indexOf(',') + 1))
    const raw = new Uint8Array(bin.length)
    for (let i = 0; i < bin.length; i++) raw[i] = bin.charCodeAt(i)
    const bytes = withPngDpi(raw, dpi)
    const view = new DataView(bytes.buffer, bytes.byteOffset)
    return { bytes, width: view.getUint32(16), height: view.getUint32(20) }
  } finally {
    chart.dispose()
    host.remove()
  }
}

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf)
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

/** SVG -> PDF page of the same size in points, every text in the embedded DejaVu Sans. */
export async function renderPdf(svg: string, style: FigureStyle, title: string): Promise<Uint8Array> {
  const [{ jsPDF }, { svg2pdf }, font] = await Promise.all([import('jspdf'), import('svg2pdf.js'), loadFontBytes()])
  // svg2pdf reads alignment-baseline (not dominant-baseline), and only knows fonts registered in jsPDF.
  const prepared = svg
    .replace(/dominant-baseline="/g, 'alignment-baseline="')
    .replace(/font-family:[^;"]*/g, `font-family:'${FONT_FAMILY}'`)
    // One embedded face (regular): bold / italic would otherwise fall back to unembedded Times.
    .replace(/font-(weight|style):[^;"]*;?/g, '')
    .replace(/ font-(weight|style)="[^"]*"/g, '')
  const el = new DOMParser().parseFromString(prepared, 'image/svg+xml').documentElement
  if (el.nodeName !== 'svg') throw new Error('the chart did not render to SVG')
  const w = style.widthPt
  const h = style.heightPt
  const doc = new jsPDF({ unit: 'pt', format: [w, h], orientation: w >= h ? 'landscape' : 'portrait', compress: true })
  doc.addFileToVFS('DejaVuSans.ttf', toBase64(font))
  doc.addFont('DejaVuSans.ttf', FONT_FAMILY, 'normal')
  doc.setFont(FONT_FAMILY, 'normal')
  doc.setProperties({ title, creator: 'eCS Lab' })
  const holder = document.createElement('div')
  holder.style.cssText = 'position:fixed;left:-100000px;top:0'
  holder.appendChild(el)
  document.body.appendChild(holder)
  try {
    await svg2pdf(el, doc, { x: 0, y: 0, width: w, height: h })
  } finally {
    holder.remove()
  }
  return new Uint8Array(doc.output('arraybuffer'))
}

/** Saves bytes or text through a Blob URL and an <a download> click (Electron and browsers). */
export function saveBlob(data: Uint8Array | string, filename: string, mime: string): void {
  const part: BlobPart = typeof data === 'string' ? data : (data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer)
  const url = URL.createObjectURL(new Blob([part], { type: mime }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}

/** Safe file name stem: letters, digits, dot, dash, underscore. */
export function fileStem(name: string): string {
  return name.trim().replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'figure'
}

export function useChartExport() {
  const busy = ref<ExportFormat | null>(null)
  const message = ref('')
  const error = ref('')

  async function exportAs(format: ExportFormat, f: ExportableFigure, basename: string, settings: ExportSettings): Promise<string> {
    busy.value = format
    error.value = ''
    message.value = ''
    const stem = fileStem(basename)
    try {
      const style = exportStyle(settings)
      const widthTag = `${settings.widthIn ?? COLUMN_WIDTH_IN[settings.preset]}in`
      let name: string
      if (format === 'csv') {
        name = `${stem}.csv`
        saveBlob(exportCsv(f), name, 'text/csv')
        message.value = `Saved ${name}`
      } else if (format === 'svg') {
        name = `${stem}-${widthTag}.svg`
        saveBlob(renderSvg(exportOption(f, style), style), name, 'image/svg+xml')
        message.value = `Saved ${name}`
      } else if (format === 'pdf') {
        name = `${stem}-${widthTag}.pdf`
        saveBlob(await renderPdf(renderSvg(exportOption(f, style), style), style, basename), name, 'application/pdf')
        message.value = `Saved ${name} (fonts embedded)`
      } else {
        const png = await renderPng(exportOption(f, style), style, settings.dpi)
        name = `${stem}-${widthTag}-${settings.dpi}dpi.png`
        saveBlob(png.bytes, name, 'image/png')
        message.value = `Saved ${name} (${png.width} × ${png.height} px)`
      }
      return name
    } catch (err) {
      error.value = `Export failed: ${err instanceof Error ? err.message : String(err)}`
      throw err
    } finally {
      busy.value = null
    }
  }

  return { busy, message, error, exportAs }
}
