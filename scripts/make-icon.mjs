#!/usr/bin/env node
// Draws the app icon: 80 cores (a 10 x 8 grid) on a rounded tile, a few of them lit as a lock holder
// and its waiters. Writes resources/icon.svg and resources/icon.png (1024 px, what electron-builder
// turns into .icns / .ico / Linux icons). Pure Node: a tiny PNG encoder over zlib, so the icon can be
// regenerated anywhere with `node scripts/make-icon.mjs`.
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const SIZE = 1024
const COLS = 10
const ROWS = 8
const BG = [0x1f, 0x2a, 0x44]
const CORE = [0x3d, 0x5a, 0x80]
const HOLDER = [0xee, 0x6c, 0x4d]
const WAITER = [0xf4, 0xc9, 0x5d]
const lit = new Map([[33, HOLDER], [34, WAITER], [35, WAITER], [44, WAITER]])

const margin = 112
const gap = 18
const cell = (SIZE - 2 * margin - (COLS - 1) * gap) / COLS
const gridH = ROWS * cell + (ROWS - 1) * gap
const top = (SIZE - gridH) / 2

function cores() {
  const out = []
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLS; c++) {
      const i = r * COLS + c
      out.push({ x: margin + c * (cell + gap), y: top + r * (cell + gap), color: lit.get(i) ?? CORE })
    }
  }
  return out
}

function insideRounded(px, py, x, y, w, h, rad) {
  if (px < x || py < y || px >= x + w || py >= y + h) return false
  const cx = Math.min(Math.max(px, x + rad), x + w - rad)
  const cy = Math.min(Math.max(py, y + rad), y + h - rad)
  return (px - cx) ** 2 + (py - cy) ** 2 <= rad * rad
}

function pixel(px, py, list) {
  if (!insideRounded(px, py, 32, 32, SIZE - 64, SIZE - 64, 200)) return [0, 0, 0, 0]
  for (const k of list) if (insideRounded(px, py, k.x, k.y, cell, cell, 14)) return [...k.color, 255]
  return [...BG, 255]
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}

export function renderPng() {
  const list = cores()
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE)
  for (let y = 0; y < SIZE; y++) {
    const row = y * (SIZE * 4 + 1)
    raw[row] = 0 // filter: none
    for (let x = 0; x < SIZE; x++) {
      // 2x2 supersampling for smooth corners
      let r = 0, g = 0, b = 0, a = 0
      for (const [dx, dy] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]) {
        const p = pixel(x + dx, y + dy, list)
        r += p[0] * p[3]; g += p[1] * p[3]; b += p[2] * p[3]; a += p[3]
      }
      const o = row + 1 + x * 4
      raw[o] = a ? Math.round(r / a) : 0
      raw[o + 1] = a ? Math.round(g / a) : 0
      raw[o + 2] = a ? Math.round(b / a) : 0
      raw[o + 3] = Math.round(a / 4)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(SIZE, 0)
  ihdr.writeUInt32BE(SIZE, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

export function renderSvg() {
  const hex = (c) => '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('')
  const rects = cores()
    .map((k) => `  <rect x="${k.x.toFixed(1)}" y="${k.y.toFixed(1)}" width="${cell.toFixed(1)}" height="${cell.toFixed(1)}" rx="14" fill="${hex(k.color)}"/>`)
    .join('\n')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
  <title>eCS Lab</title>
  <rect x="32" y="32" width="${SIZE - 64}" height="${SIZE - 64}" rx="200" fill="${hex(BG)}"/>
${rects}
</svg>
`
}

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources')
writeFileSync(join(out, 'icon.png'), renderPng())
writeFileSync(join(out, 'icon.svg'), renderSvg())
console.log(`icon: ${join(out, 'icon.png')}, ${join(out, 'icon.svg')}`)
