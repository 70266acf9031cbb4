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

  it('csvFromOption lists every plotted point', () => {
    expect(parseCsv(csvFromOption(option))).toEqual([
      ['series', 'x', 'y', 'v3'],
      ['kvm', 'web', '10'],
      ['kvm', 'db', '8'],
      ['kvm', '0', '9', '11'],
      ['kvm', '1', '7', '9']
    ])
  })
})
