/**
 * Every builder: the option has the expected series and axes, the CSV holds exactly the plotted values,
 * the paper style holds (palette, font, no split lines, no shadows) and ECharts' own server-side SVG
 * renderer draws the option without error.
 */
import { describe, expect, it } from 'vitest'
import * as echarts from 'echarts'
import { buildFigure, figureStyle, FIGURE_KINDS, isFigureKind, OKABE_ITO, parseCsv, type FigureDataMap, type FigureKind } from '.'

const paper = figureStyle('paper-1col')

function renderSvg(option: Record<string, unknown>, style = paper): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: style.widthPt, height: style.heightPt })
  chart.setOption(option)
  const svg = chart.renderToSVGString()
  chart.dispose()
  return svg
}

type Series = { type: string; name: string; data: unknown[]; renderItem?: unknown; markLine?: unknown; markArea?: unknown; stack?: string }
const seriesOf = (o: Record<string, unknown>) => o.series as Series[]

const samples: { [K in FigureKind]: FigureDataMap[K] } = {
  throughput: {
    vms: ['web', 'db'],
    policies: ['kvm', 'ecs'],
    cells: [
      { vm: 'web', policy: 'kvm', mean: 1000, low: 900, high: 1100, n: 3 },
      { vm: 'web', policy: 'ecs', mean: 1500, low: 1400, high: 1600, n: 3 },
      { vm: 'db', policy: 'kvm', mean: 800, low: 700, high: 900, n: 3 },
      { vm: 'db', policy: 'ecs', mean: 1200, n: 1 }
    ]
  },
  ratio: { rows: [{ workload: 'exim', ratio: 1.4, low: 1.3, high: 1.5 }, { workload: 'psearchy', ratio: 0.98 }], policy: 'ecs', baseline: 'kvm' },
  preemptions: { groups: ['kvm', 'ecs'], kinds: ['spinlock', 'mutex', 'rcu', 'outside CS'], counts: [[50, 20, 0, 100], [5, 2, 0, 120]] },
  'lock-wait': { series: [{ name: 'kvm', buckets: [0, 0, 0, 10, 30, 5, 0, 1, 0] }, { name: 'ecs', buckets: [0, 0, 0, 20, 25, 1, 0, 0, 0] }] },
  'time-series': { t: [1e6, 2e6, 3e6], series: [{ name: 'web', values: [10, 20, 30] }, { name: 'db', values: [5, 5, 6] }], yName: 'ops/s', warmupNs: 1e6 },
  'commit-sweep': {
    series: [
      { name: 'exim', points: [{ commit: 2, ratio: 1.5, low: 1.4, high: 1.6 }, { commit: 0.5, ratio: 1.0, low: 0.95, high: 1.05 }, { commit: 1, ratio: 1.1 }] },
      { name: 'psearchy', points: [{ commit: 1, ratio: 1.0 }, { commit: 2, ratio: 1.2 }] }
    ]
  }
}

describe('buildFigure', () => {
  it('knows every kind and rejects unknown ones', () => {
    for (const k of Object.keys(FIGURE_KINDS)) expect(isFigureKind(k)).toBe(true)
    expect(isFigureKind('pie')).toBe(false)
    expect(() => buildFigure('pie' as FigureKind, {} as never)).toThrow(/unknown figure kind pie/)
  })

  it.each(Object.keys(samples) as FigureKind[])('%s: renders to SVG with ECharts SSR and follows the paper style', (kind) => {
    const { option, csv } = buildFigure(kind, samples[kind] as never, 'paper-1col')
    expect(csv.endsWith('\r\n')).toBe(true)
    expect(option.animation).toBe(false)
    expect(option.color).toEqual([...paper.palette])
    expect((option.textStyle as { fontFamily: string }).fontFamily).toContain('DejaVu Sans')
    for (const ax of ['xAxis', 'yAxis'] as const) {
      const a = option[ax] as { splitLine: { show: boolean }; axisLine: { lineStyle: { width: number } } }
      expect(a.splitLine.show).toBe(false)
      expect(a.axisLine.lineStyle.width).toBeLessThanOrEqual(1)
    }
    const json = JSON.stringify(option)
    expect(json).not.toMatch(/shadowBlur|shadowColor|3D/)
    const svg = renderSvg(option)
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain(`width="${paper.widthPt}"`)
    expect(svg).toContain('DejaVu Sans')
    // Attribute values must not contain raw double quotes (ECharts does not escape the font stack).
    for (const m of svg.matchAll(/style="([^"]*)"(\S?)/g)) expect(m[2]).toBe('')
  })
})

describe('throughput', () => {
  it('draws one bar + whisker series per policy, and the CSV holds exactly the cells', () => {
    const { option, csv } = buildFigure('throughput', samples.throughput, paper)
    const s = seriesOf(option)
    expect(s.map((x) => x.name)).toEqual(['kvm', 'ecs'])
    expect(s[0].data).toEqual([[0, 1000, 900, 1100], [1, 800, 700, 900]])
    expect(s[1].data).toEqual([[0, 1500, 1400, 1600], [1, 1200, null, null]])
    expect((option.xAxis as { data: string[] }).data).toEqual(['web', 'db'])
    const rows = parseCsv(csv)
    expect(rows[0]).toEqual(['vm', 'policy', 'mean', 'ci_low', 'ci_high', 'n'])
    expect(rows.slice(1)).toEqual([
      ['web', 'kvm', '1000', '900', '1100', '3'],
      ['db', 'kvm', '800', '700', '900', '3'],
      ['web', 'ecs', '1500', '1400', '1600', '3'],
      ['db', 'ecs', '1200', '', '', '1']
    ])
  })

  it('whiskers are drawn: the SVG has a rect per bar and three lines per CI', () => {
    const svg = renderSvg(buildFigure('throughput', samples.throughput, paper).option)
    // 4 bars; 3 cells with a CI -> 9 whisker segments (plus axis lines/ticks, so count at least).
    expect((svg.match(/<path d="M[^"]*Z"/g) ?? []).length + (svg.match(/<rect/g) ?? []).length).toBeGreaterThanOrEqual(4)
    expect(svg).toContain('web')
    expect(svg).toContain('throughput (ops/s)')
  })
})

describe('ratio', () => {
  it('plots ratios with a dashed reference line at 1', () => {
    const { option, csv } = buildFigure('ratio', samples.ratio, paper)
    const s = seriesOf(option)
    expect(s[0].data).toEqual([[0, 1.4, 1.3, 1.5], [1, 0.98, null, null]])
    const ref = s[1].markLine as { data: { yAxis: number }[]; lineStyle: { type: string } }
    expect(ref.data).toEqual([{ yAxis: 1 }])
    expect(ref.lineStyle.type).toBe('dashed')
    expect(parseCsv(csv).slice(1)).toEqual([['exim', '1.4', '1.3', '1.5'], ['psearchy', '0.98', '', '']])
  })
})

describe('preemptions', () => {
  it('stacks one series per non-empty kind and drops all-zero kinds from plot and CSV', () => {
    const { option, csv } = buildFigure('preemptions', samples.preemptions, paper)
    const s = seriesOf(option)
    expect(s.map((x) => x.name)).toEqual(['spinlock', 'mutex', 'outside CS'])
    expect(s.every((x) => x.stack === 'kinds' && x.type === 'bar')).toBe(true)
    expect(s[0].data).toEqual([50, 5])
    expect(s[2].data).toEqual([100, 120])
    const rows = parseCsv(csv).slice(1)
    expect(rows).toHaveLength(6)
    expect(rows).toContainEqual(['ecs', 'outside CS', '120'])
    expect(rows.some((r) => r[1] === 'rcu')).toBe(false)
  })
})

describe('lock-wait', () => {
  it('trims empty buckets at both ends and plots fractions by default', () => {
    const { option, csv } = buildFigure('lock-wait', samples['lock-wait'], paper)
    expect((option.xAxis as { data: string[] }).data).toEqual(['8 ns', '16 ns', '32 ns', '64 ns', '128 ns'])
    const s = seriesOf(option)
    expect(s[0].data).toEqual([10 / 46, 30 / 46, 5 / 46, null, 1 / 46])
    expect((option.yAxis as { type: string }).type).toBe('log')
    const rows = parseCsv(csv)
    expect(rows[0]).toEqual(['series', 'bucket', 'from_ns', 'to_ns', 'count', 'fraction'])
    expect(rows[1]).toEqual(['kvm', '3', '8', '16', '10', String(10 / 46)])
    expect(rows).toHaveLength(1 + 2 * 5)
  })

  it('plots raw counts when normalize is false; empty histograms give an empty figure', () => {
    const { option } = buildFigure('lock-wait', { ...samples['lock-wait'], normalize: false }, paper)
    expect(seriesOf(option)[0].data).toEqual([10, 30, 5, null, 1])
    const empty = buildFigure('lock-wait', { series: [{ name: 'kvm', buckets: [0, 0] }] }, paper)
    expect((empty.option.xAxis as { data: string[] }).data).toEqual([])
    expect(parseCsv(empty.csv)).toHaveLength(1)
  })
})

describe('time-series', () => {
  it('converts ns to a readable unit, shades warm-up, CSV in ns', () => {
    const { option, csv } = buildFigure('time-series', samples['time-series'], paper)
    expect((option.xAxis as { name: string }).name).toBe('simulated time (µs)')
    const s = seriesOf(option)
    expect(s[0].data).toEqual([[1000, 10], [2000, 20], [3000, 30]])
    expect((s[0].markArea as { data: unknown[] }).data).toEqual([[{ xAxis: 0 }, { xAxis: 1000 }]])
    expect(parseCsv(csv)).toEqual([['t_ns', 'web', 'db'], ['1000000', '10', '5'], ['2000000', '20', '5'], ['3000000', '30', '6']])
    const long = buildFigure('time-series', { t: [5e9, 2e10], series: [{ name: 'a', values: [1, 2] }], yName: 'x' }, paper)
    expect((long.option.xAxis as { name: string }).name).toBe('simulated time (s)')
  })
})

describe('commit-sweep', () => {
  it('sorts points by commit level, adds whiskers where a CI exists and a reference line', () => {
    const { option, csv } = buildFigure('commit-sweep', samples['commit-sweep'], paper)
    const s = seriesOf(option)
    expect(s[0].data).toEqual([[0.5, 1.0], [1, 1.1], [2, 1.5]])
    expect(s[1].type).toBe('custom')
    expect(s[1].data).toEqual([[0.5, 0.95, 1.05], [2, 1.4, 1.6]])
    expect(s[2].name).toBe('psearchy')
    expect(s[s.length - 1].markLine).toBeDefined()
    expect(parseCsv(csv).slice(1, 4)).toEqual([['exim', '0.5', '1', '0.95', '1.05'], ['exim', '1', '1.1', '', ''], ['exim', '2', '1.5', '1.4', '1.6']])
  })
})

describe('styles', () => {
  it('screen styles show titles; the dark one has no black series colour', () => {
    const dark = figureStyle('screen-dark')
    expect(dark.palette).not.toContain(OKABE_ITO.black)
    const { option } = buildFigure('ratio', { ...samples.ratio, title: 'Speed-up' }, dark)
    expect((option.title as { text: string }).text).toBe('Speed-up')
    expect(buildFigure('ratio', { ...samples.ratio, title: 'Speed-up' }, paper).option.title).toBeUndefined()
    expect(renderSvg(option, dark)).toContain('Speed-up')
  })
})
