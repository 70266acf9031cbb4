import { describe, expect, it } from 'vitest'
import { csvFromOption, figureStyle, paperize, parseCsv } from '.'

describe('foreign options', () => {
  const option = {
    backgroundColor: 'transparent',
    animation: true,
    legend: { type: 'scroll', top: 4 },
    xAxis: { type: 'category', data: ['web', 'db'] },
    yAxis: { type: 'value' },
    dataZoom: [{ type: 'inside' }],
    series: [
      { type: 'bar', name: 'kvm', data: [10, { value: 8 }] },
      { type: 'custom', name: 'kvm', data: [[0, 9, 11], [1, 7, 9]] },
      { type: 'line', name: '__ref', data: [] }
    ]
  }

  it('paperize: white page, paper font and palette, plain legend, no zoom', () => {
    const s = figureStyle('paper-1col')
    const p = paperize(option, s)
    expect(p.backgroundColor).toBe('#ffffff')
    expect(p.animation).toBe(false)
    expect((p.legend as { type: string }).type).toBe('plain')
    expect((p.xAxis as { axisLabel: { fontFamily: string } }).axisLabel.fontFamily).toContain('DejaVu Sans')
    expect(p.dataZoom).toBeUndefined()
    expect(option.backgroundColor).toBe('transparent') // not mutated
  })

  it('paperize keeps the chart\'s own colours and series (the export draws what the screen shows)', () => {
    const p = paperize({ ...option, color: ['#009E73', '#CC79A7'] }, figureStyle('paper-1col'))
    expect(p.color).toEqual(['#009E73', '#CC79A7'])
    expect(p.series).toEqual(option.series)
  })

  it('csvFromOption lists every plotted point, whiskers as CI columns of their series', () => {
    expect(parseCsv(csvFromOption(option))).toEqual([
      ['series', 'x', 'y', 'ci_low', 'ci_high'],
      ['kvm', 'web', '10', '9', '11'],
      ['kvm', 'db', '8', '7', '9']
    ])
    // points without a category axis keep their extra values
    expect(parseCsv(csvFromOption({ xAxis: { type: 'value' }, series: [{ type: 'line', name: 'a', data: [[1, 2, 3]] }] }))).toEqual([
      ['series', 'x', 'y', 'v3'],
      ['a', '1', '2', '3']
    ])
  })
})
