/**
 * The figure style shared by the app and `ecs-lab figure`: one font, sizes for the two paper column
 * widths, the Okabe-Ito colour-blind-safe palette and no chart junk (no grid clutter, no 3D, no shadows,
 * thin axes). Pure data: nothing here imports ECharts.
 *
 * Units: one ECharts pixel is one typographic point (1/72 in). A figure is laid out at `widthPt` x
 * `heightPt`; SVG and PDF keep those units (so 8 pt text is 8 pt on paper), and PNG scales by dpi / 72
 * (3.5 in at 300 dpi = 1050 px).
 */

/** Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision deficiencies. */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7'
} as const

/**
 * Series order: the strongest contrasts first (blue vs vermillion is the baseline vs eCS pair), yellow
 * last because it is faint on white.
 */
export const PALETTE: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.orange,
  OKABE_ITO.skyBlue,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.black,
  OKABE_ITO.yellow
]

/** The embedded font: vendored in resources/fonts/DejaVuSans.ttf (licence next to it). */
export const FONT_FAMILY = 'DejaVu Sans'
export const FONT_FILE = 'resources/fonts/DejaVuSans.ttf'
/**
 * CSS font stack: DejaVu Sans where installed or embedded, then fallbacks. Single quotes only:
 * ECharts writes it unescaped into SVG `style="..."` attributes, where a double quote breaks the XML.
 */
export const FONT_STACK = `'${FONT_FAMILY}', 'Liberation Sans', Arial, Helvetica, sans-serif`

export const PT_PER_IN = 72

export type StylePreset = 'paper-1col' | 'paper-2col' | 'screen-light' | 'screen-dark'
export const STYLE_PRESETS: readonly StylePreset[] = ['paper-1col', 'paper-2col', 'screen-light', 'screen-dark']

export interface FigureStyle {
  preset: StylePreset
  /** Layout size in points (= ECharts px). */
  widthPt: number
  heightPt: number
  fontFamily: string
  /** Tick labels. */
  fontSize: number
  /** Axis names and legend. */
  labelSize: number
  titleSize: number
  /** Draw a title (screens do; paper figures leave it to the LaTeX caption). */
  showTitle: boolean
  /** Data line width and axis line width, pt. */
  lineWidth: number
  axisWidth: number
  markerSize: number
  palette: readonly string[]
  /** Page background ('transparent' on screens so the app's theme shows through). */
  background: string
  textColor: string
  axisColor: string
  /** Faint reference lines (ratio = 1) and warm-up shading. */
  refColor: string
  shadeColor: string
}

const PAPER_BASE = {
  fontFamily: FONT_STACK,
  showTitle: false,
  palette: PALETTE,
  background: '#ffffff',
  textColor: '#000000',
  axisColor: '#000000',
  refColor: '#555555',
  shadeColor: 'rgba(0,0,0,0.07)'
}

/** Column widths of the USENIX two-column template: 3.5 in (one column) and 7.16 in (full width). */
export const COLUMN_WIDTH_IN = { 'paper-1col': 3.5, 'paper-2col': 7.16 } as const

export function figureStyle(preset: StylePreset = 'paper-1col', overrides: Partial<Omit<FigureStyle, 'preset'>> = {}): FigureStyle {
  let base: FigureStyle
  switch (preset) {
    case 'paper-1col':
      base = { preset, ...PAPER_BASE, widthPt: 3.5 * PT_PER_IN, heightPt: 2.3 * PT_PER_IN, fontSize: 7, labelSize: 8, titleSize: 9, lineWidth: 1, axisWidth: 0.6, markerSize: 3.5 }
      break
    case 'paper-2col':
      base = { preset, ...PAPER_BASE, widthPt: 7.16 * PT_PER_IN, heightPt: 2.6 * PT_PER_IN, fontSize: 8, labelSize: 9, titleSize: 10, lineWidth: 1.2, axisWidth: 0.7, markerSize: 4 }
      break
    case 'screen-light':
      base = { preset, ...PAPER_BASE, widthPt: 640, heightPt: 360, fontSize: 11, labelSize: 12, titleSize: 14, showTitle: true, lineWidth: 1.8, axisWidth: 1, markerSize: 6, background: 'transparent', textColor: '#1f2328', axisColor: '#57606a', refColor: '#6e7781', shadeColor: 'rgba(0,0,0,0.06)' }
      break
    case 'screen-dark':
      base = { preset, ...PAPER_BASE, widthPt: 640, heightPt: 360, fontSize: 11, labelSize: 12, titleSize: 14, showTitle: true, lineWidth: 1.8, axisWidth: 1, markerSize: 6, background: 'transparent', textColor: '#e6edf3', axisColor: '#8b949e', refColor: '#8b949e', shadeColor: 'rgba(255,255,255,0.08)',
        // Okabe-Ito black is invisible on a dark page: swap it for a light grey.
        palette: PALETTE.map((c) => (c === OKABE_ITO.black ? '#d0d7de' : c)) }
      break
    default:
      throw new Error(`unknown figure style preset ${String(preset)}`)
  }
  return { ...base, ...overrides }
}

/** Pixel size of a PNG of `style` at `dpi`: the layout in points times dpi / 72, rounded. */
export function pngPixelSize(style: Pick<FigureStyle, 'widthPt' | 'heightPt'>, dpi: number): { width: number; height: number; pixelRatio: number } {
  const pixelRatio = dpi / PT_PER_IN
  return { width: Math.round(style.widthPt * pixelRatio), height: Math.round(style.heightPt * pixelRatio), pixelRatio }
}

/** A style re-laid out at a given physical width in inches, keeping its aspect ratio. */
export function atWidthIn(style: FigureStyle, widthIn: number): FigureStyle {
  const widthPt = widthIn * PT_PER_IN
  return { ...style, widthPt, heightPt: style.heightPt * (widthPt / style.widthPt) }
}
