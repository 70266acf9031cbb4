/**
 * The time-series chart as ECharts lays it out (SVG server-side rendering, the same layout code as the
 * app's canvas): the "warm-up" label must not overlap the y-axis title, even for a short warm-up band
 * next to the axis.
 */
import { describe, expect, it } from 'vitest'
import * as echarts from 'echarts'
import { timeSeriesOption } from './time-series'

interface Box { x0: number; x1: number; y0: number; y1: number }

/** Approximate box of an SSR <text> (12 px font, ~0.6 em per character, centred on its anchor). */
function textBox(svg: string, text: string): Box {
  const m = new RegExp(`<text[^>]*?text-anchor="(\\w+)"[^>]*?font-size:(\\d+)px[^>]*?(?:y="(-?[\\d.]+)")?[^>]*?transform="translate\\((-?[\\d.]+) (-?[\\d.]+)\\)"[^>]*>${text}</text>`).exec(svg)
  if (!m) throw new Error(`no <text> ${text} in the SVG`)
  const size = Number(m[2])
  const w = text.length * size * 0.6
  const x = Number(m[4])
  const y = Number(m[5]) + Number(m[3] ?? 0)
  const x0 = m[1] === 'middle' ? x - w / 2 : m[1] === 'end' ? x - w : x
  return { x0, x1: x0 + w, y0: y - size / 2, y1: y + size / 2 }
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1

describe('time-series chart layout', () => {
  it.each([0.02, 0.1, 0.3])('the warm-up label (band %s of the run) stays clear of the y-axis title', (frac) => {
    const t = Array.from({ length: 50 }, (_, i) => (i + 1) * 11e6)
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 640, height: 320 })
    try {
      chart.setOption(timeSeriesOption([{ name: 'kvm · vm0', t, values: t.map((_, i) => 1e6 + i * 1e4) }], { warmupNs: frac * 550e6, yName: 'ops/s' }) as never)
      const svg = chart.renderToSVGString()
      const title = textBox(svg, 'ops/s')
      const label = textBox(svg, 'warm-up')
      expect(overlaps(title, label), JSON.stringify({ title, label })).toBe(false)
    } finally {
      chart.dispose()
    }
  })
})
