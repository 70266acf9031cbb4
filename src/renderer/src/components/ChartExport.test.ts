// @vitest-environment happy-dom
/** ChartExport: the menu, the PNG size hint, and CSV/SVG downloads (PNG/PDF need a real browser: e2e). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import ChartExport from './ChartExport.vue'
import { buildFigure } from '../../../shared/charts'
import { exportCsv, exportOption, exportStyle, fileStem } from '../composables/useChartExport'

const saved: { name: string; type: string; text: Promise<string> }[] = []
const data = { rows: [{ workload: 'exim', ratio: 1.4, low: 1.3, high: 1.5 }], policy: 'ecs', baseline: 'kvm' }

beforeEach(() => {
  saved.length = 0
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b: Blob | MediaSource) => {
    saved.push({ name: '', type: (b as Blob).type, text: (b as Blob).text() })
    return 'blob:x'
  })
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved[saved.length - 1].name = this.download
  })
})
afterEach(() => vi.restoreAllMocks())

describe('ChartExport', () => {
  it('opens a menu with sizes, dpi and the four formats; PNG size follows width x dpi', async () => {
    const w = mount(ChartExport, { props: { figure: { option: {} }, spec: { kind: 'ratio', data }, basename: 'ratio fig' } })
    expect(w.find('[data-testid=export-svg]').exists()).toBe(false)
    await w.find('[data-testid=export-toggle]').trigger('click')
    for (const f of ['svg', 'pdf', 'png', 'csv']) expect(w.find(`[data-testid=export-${f}]`).exists()).toBe(true)
    expect(w.text()).toContain('PNG: 1050 ×')
    await w.find('[data-testid=export-size]').setValue('paper-2col')
    expect(w.text()).toContain('PNG: 2148 ×')
    await w.find('[data-testid=export-dpi]').setValue(600)
    expect(w.text()).toContain('PNG: 4296 ×')
  })

  it('CSV download is the builder\'s CSV; SVG is the paper-style figure', async () => {
    const w = mount(ChartExport, { props: { spec: { kind: 'ratio', data }, basename: 'ratio fig' } })
    await w.find('[data-testid=export-toggle]').trigger('click')
    await w.find('[data-testid=export-csv]').trigger('click')
    await flushPromises()
    expect(saved[0].name).toBe('ratio-fig.csv')
    expect(await saved[0].text).toBe(buildFigure('ratio', data, 'paper-1col').csv)
    await w.find('[data-testid=export-svg]').trigger('click')
    await flushPromises()
    expect(saved[1].name).toBe('ratio-fig-3.5in.svg')
    expect(saved[1].type).toBe('image/svg+xml')
    const svg = await saved[1].text
    expect(svg).toMatch(/^<svg[^>]+width="252"/)
    expect(w.find('[data-testid=export-message]').text()).toBe('Saved ratio-fig-3.5in.svg')
  })

  it('a chart without a builder exports its restyled option and a CSV derived from its series', () => {
    const f = { figure: { option: { backgroundColor: 'transparent', xAxis: { type: 'category', data: ['a'] }, yAxis: { type: 'value' }, series: [{ type: 'bar', name: 's', data: [3] }] } } }
    const style = exportStyle({ preset: 'paper-1col', dpi: 300 })
    expect(exportOption(f, style).backgroundColor).toBe('#ffffff')
    expect(exportCsv(f)).toBe('series,x,y\r\ns,a,3\r\n')
    expect(fileStem('  Throughput / VM (kvm vs ecs) ')).toBe('Throughput-VM-kvm-vs-ecs')
  })
})
