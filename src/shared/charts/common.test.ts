import { describe, expect, it } from 'vitest'
import { atWidthIn, figureStyle, formatNs, formatNumber, meanCi, parseCsv, pngPixelSize, toCsv, PALETTE, OKABE_ITO } from '.'

describe('csv', () => {
  it('quotes only where needed and round-trips through parseCsv', () => {
    const csv = toCsv(['a', 'b,c', 'd'], [['x "y"', 1.5, null], ['line\nbreak', NaN, ' pad']])
    expect(csv).toBe('a,"b,c",d\r\n"x ""y""",1.5,\r\n"line\nbreak",," pad"\r\n')
    expect(parseCsv(csv)).toEqual([['a', 'b,c', 'd'], ['x "y"', '1.5', ''], ['line\nbreak', '', ' pad']])
  })
})

describe('meanCi', () => {
  it('uses Student t for small samples', () => {
    const m = meanCi([10, 12, 14])
    expect(m.mean).toBe(12)
    // sd = 2, se = 2/sqrt(3), t(2) = 4.303
    expect(m.high - m.mean).toBeCloseTo((4.303 * 2) / Math.sqrt(3), 6)
    expect(m.low).toBeCloseTo(24 - m.high, 9)
  })
  it('degenerates gracefully', () => {
    expect(meanCi([5])).toEqual({ mean: 5, low: 5, high: 5, n: 1 })
    expect(meanCi([]).n).toBe(0)
  })
})

describe('formatting', () => {
  it('formats numbers and durations compactly', () => {
    expect(formatNumber(0)).toBe('0')
    expect(formatNumber(1234)).toBe('1234')
    expect(formatNumber(12345)).toBe('12.3k')
    expect(formatNumber(2.5e6)).toBe('2.5M')
    expect(formatNumber(0.12345)).toBe('0.123')
    expect(formatNs(512)).toBe('512 ns')
    expect(formatNs(1024)).toBe('1.02 µs')
    expect(formatNs(2 ** 21)).toBe('2.1 ms')
    expect(formatNs(3e9)).toBe('3 s')
  })
})

describe('style', () => {
  it('lays paper figures out in points at the column widths', () => {
    expect(figureStyle('paper-1col').widthPt).toBeCloseTo(252, 6)
    expect(figureStyle('paper-2col').widthPt).toBeCloseTo(515.52, 6)
    expect(figureStyle('paper-1col').background).toBe('#ffffff')
  })
  it('PNG size = inches x dpi', () => {
    expect(pngPixelSize(figureStyle('paper-1col'), 300).width).toBe(1050)
    expect(pngPixelSize(figureStyle('paper-2col'), 300).width).toBe(2148)
    const s = atWidthIn(figureStyle('screen-light'), 3.5)
    expect(pngPixelSize(s, 300).width).toBe(1050)
    expect(s.heightPt / s.widthPt).toBeCloseTo(360 / 640, 9)
  })
  it('palette is Okabe-Ito', () => {
    expect(new Set(PALETTE)).toEqual(new Set(Object.values(OKABE_ITO)))
  })
  it('overrides apply and unknown presets throw', () => {
    expect(figureStyle('paper-1col', { heightPt: 100 }).heightPt).toBe(100)
    expect(() => figureStyle('poster' as never)).toThrow(/unknown figure style/)
  })
})

describe('logAxisBase', () => {
  it('is the power of ten at or below the smallest positive value, so log-axis bars grow upwards', async () => {
    const { logAxisBase } = await import('./common')
    expect(logAxisBase([12, 0.034, null, 0, 5])).toBe(0.01)
    expect(logAxisBase([0.01, 3])).toBe(0.01)
    expect(logAxisBase([250, 40])).toBe(10)
    expect(logAxisBase([null, 0, undefined])).toBe(1)
  })
})
