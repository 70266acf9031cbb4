import { describe, expect, it } from 'vitest'
import { Resvg } from '@resvg/resvg-js'
import { isPng, pngDpi, pngSize, withPngDpi } from './png'

describe('png', () => {
  const png = new Uint8Array(new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect width="30" height="20" fill="#0072B2"/></svg>').render().asPng())

  it('reads the size and sets/reads the resolution', () => {
    expect(isPng(png)).toBe(true)
    expect(pngSize(png)).toEqual({ width: 30, height: 20 })
    const at300 = withPngDpi(png, 300)
    expect(pngDpi(at300)).toBe(300)
    expect(pngSize(at300)).toEqual({ width: 30, height: 20 })
    // Replaces rather than duplicates.
    const again = withPngDpi(at300, 600)
    expect(pngDpi(again)).toBe(600)
    expect(again.length).toBe(at300.length)
  })

  it('the result still decodes (chunk CRC is valid)', () => {
    const at300 = withPngDpi(png, 300)
    // resvg can embed a PNG image: it refuses corrupt data, so a decoded size proves validity.
    const b64 = Buffer.from(at300).toString('base64')
    const out = new Resvg(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="30" height="20"><image width="30" height="20" xlink:href="data:image/png;base64,${b64}"/></svg>`).render()
    const px = out.pixels
    expect(px[0]).toBe(0x00)
    expect(px[2]).toBe(0xb2)
  })

  it('rejects non-PNG data', () => {
    expect(() => pngSize(new Uint8Array(30))).toThrow(/not a PNG/)
  })
})
