/**
 * PNG helpers (pure): read the pixel size and set the resolution (pHYs chunk) so a 1050 px wide export
 * at 300 dpi opens as 3.5 in wide in LaTeX, Inkscape or Word.
 */
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

let crcTable: Uint32Array | null = null
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      crcTable[n] = c >>> 0
    }
  }
  let c = 0xffffffff
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length > 24 && SIGNATURE.every((b, i) => bytes[i] === b)
}

const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0

/** Width and height from the IHDR chunk. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  if (!isPng(bytes)) throw new Error('not a PNG file')
  return { width: u32(bytes, 16), height: u32(bytes, 20) }
}

/** Dots per inch from the pHYs chunk (null when absent or not in metres). */
export function pngDpi(bytes: Uint8Array): number | null {
  let o = 8
  while (o + 8 <= bytes.length) {
    const len = u32(bytes, o)
    const type = String.fromCharCode(bytes[o + 4], bytes[o + 5], bytes[o + 6], bytes[o + 7])
    if (type === 'pHYs') return bytes[o + 16] === 1 ? Math.round(u32(bytes, o + 8) * 0.0254) : null
    if (type === 'IDAT' || type === 'IEND') return null
    o += 12 + len
  }
  return null
}

/** A copy of the PNG with a pHYs chunk (dpi in both axes) right after IHDR, replacing any existing one. */
export function withPngDpi(bytes: Uint8Array, dpi: number): Uint8Array {
  if (!isPng(bytes)) throw new Error('not a PNG file')
  const ppm = Math.round(dpi / 0.0254)
  const chunk = new Uint8Array(21)
  const dv = new DataView(chunk.buffer)
  dv.setUint32(0, 9)
  chunk.set([0x70, 0x48, 0x59, 0x73], 4) // 'pHYs'
  dv.setUint32(8, ppm)
  dv.setUint32(12, ppm)
  chunk[16] = 1 // unit: metre
  dv.setUint32(17, crc32(chunk.subarray(4, 17)))
  const parts: Uint8Array[] = [bytes.subarray(0, 8)]
  let o = 8
  while (o + 8 <= bytes.length) {
    const len = u32(bytes, o)
    const type = String.fromCharCode(bytes[o + 4], bytes[o + 5], bytes[o + 6], bytes[o + 7])
    const end = o + 12 + len
    if (type !== 'pHYs') parts.push(bytes.subarray(o, end))
    if (type === 'IHDR') parts.push(chunk)
    o = end
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let k = 0
  for (const p of parts) {
    out.set(p, k)
    k += p.length
  }
  return out
}
