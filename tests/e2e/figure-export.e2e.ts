/**
 * Screen 5, figure export, end to end: run baseline vs eCS on a preset, then export the throughput
 * chart (and the preemptions chart) from its Export menu and check every file a user would get:
 * SVG parses and is laid out at the paper width in points, PDF starts with %PDF and embeds DejaVu
 * Sans, PNG has the PNG signature and pixel width = inches x dpi with the dpi recorded, CSV is the
 * plotted data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { openApp, screenshot, SCREENSHOT_DIR, type E2eContext } from './browser'
import { parseCsv, pngDpi, pngSize } from '../../src/shared/charts'

let ctx: E2eContext

beforeAll(async () => {
  ctx = await openApp()
})

afterAll(async () => {
  await ctx?.close()
})

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()])
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) }
}

describe('figure export', () => {
  it('runs baseline vs eCS and shows the charts with an Export menu', async () => {
    const { page } = ctx
    await page.goto(`${ctx.harness.server.url.split('#')[0]}#/run?preset=quick&policies=kvm,ecs&seeds=2&auto=1`)
    await page.getByTestId('run-results').waitFor({ timeout: 150_000 })
    await page.getByTestId('chart-throughput').locator('canvas').first().waitFor()
    await page.getByTestId('chart-throughput-export').getByTestId('export-toggle').click()
    await page.getByTestId('chart-throughput-export').getByTestId('export-svg').waitFor()
    await screenshot(page, 'figure-export-menu')
  })

  it('SVG: parses, paper width in points, DejaVu Sans text', async () => {
    const { page } = ctx
    const menu = page.getByTestId('chart-throughput-export')
    const { name, bytes } = await download(page, () => menu.getByTestId('export-svg').click())
    expect(name).toMatch(/\.svg$/)
    const svg = bytes.toString('utf8')
    const ok = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml')
      return { root: doc.documentElement.nodeName, error: doc.getElementsByTagName('parsererror').length, width: doc.documentElement.getAttribute('width') }
    }, svg)
    expect(ok).toEqual({ root: 'svg', error: 0, width: '252' })
    expect(svg).toContain('DejaVu Sans')
    expect(svg).toContain('ops/s')
    writeFileSync(join(SCREENSHOT_DIR, 'figure-export-throughput.svg'), svg)
  })

  it('PNG: 300 dpi at one column is 1050 px wide, two columns 2148 px, dpi recorded', async () => {
    const { page } = ctx
    const menu = page.getByTestId('chart-throughput-export')
    const one = await download(page, () => menu.getByTestId('export-png').click())
    expect(one.name).toMatch(/3\.5in-300dpi\.png$/)
    expect(one.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect(pngSize(one.bytes).width).toBe(1050)
    expect(pngDpi(one.bytes)).toBe(300)
    writeFileSync(join(SCREENSHOT_DIR, 'figure-export-throughput-1col-300dpi.png'), one.bytes)
    await menu.getByTestId('export-size').selectOption('paper-2col')
    const two = await download(page, () => menu.getByTestId('export-png').click())
    expect(pngSize(two.bytes).width).toBe(2148)
    await menu.getByTestId('export-dpi').fill('150')
    const low = await download(page, () => menu.getByTestId('export-png').click())
    expect(pngSize(low.bytes).width).toBe(Math.round(7.16 * 150))
    expect(pngDpi(low.bytes)).toBe(150)
    expect(await menu.getByTestId('export-message').innerText()).toMatch(/1074 × \d+ px/)
    await menu.getByTestId('export-size').selectOption('paper-1col')
    await menu.getByTestId('export-dpi').fill('300')
  })

  it('PDF: %PDF, page in points, DejaVu Sans embedded', async () => {
    const { page } = ctx
    const menu = page.getByTestId('chart-throughput-export')
    const { name, bytes } = await download(page, () => menu.getByTestId('export-pdf').click())
    expect(name).toMatch(/\.pdf$/)
    writeFileSync(join(SCREENSHOT_DIR, 'figure-export-throughput.pdf'), bytes)
    const text = bytes.toString('latin1')
    expect(text.startsWith('%PDF-')).toBe(true)
    expect(text).toMatch(/\/FontFile2 \d+ 0 R/)
    expect(text).toMatch(/\/BaseFont \/DejaVu#20Sans/)
    // Every text run uses the embedded font: the content stream's Tf operators name only its resource.
    const fontObj = /(\d+) 0 obj\s*<<\s*\/Type \/Font\s*\/Subtype \/Type0\s*\/ToUnicode \d+ 0 R\s*\/BaseFont \/DejaVu#20Sans/.exec(text)
    expect(fontObj).not.toBeNull()
    const resName = new RegExp(`/(F\\d+) ${fontObj![1]} 0 R`).exec(text)![1]
    const used = new Set<string>()
    for (const m of text.matchAll(/stream\r?\n/g)) {
      const start = m.index! + m[0].length
      const end = text.indexOf('endstream', start)
      let content: string
      try {
        content = inflateSync(bytes.subarray(start, end)).toString('latin1')
      } catch {
        continue
      }
      for (const tf of content.matchAll(/\/(F\d+) [\d.]+ Tf/g)) used.add(tf[1])
    }
    expect([...used]).toEqual([resName])
    expect(text.match(/\/FontFile2 /g)).toHaveLength(1)
    const box = /\/MediaBox \[([^\]]*)\]/.exec(text)![1].trim().split(/\s+/).map(Number)
    expect(box[2]).toBeCloseTo(252, 3) // 3.5 in x 72 pt
    expect(box[3]).toBeCloseTo(165.6, 3)
  })

  it('CSV: exactly the plotted cells', async () => {
    const { page } = ctx
    const menu = page.getByTestId('chart-throughput-export')
    const { name, bytes } = await download(page, () => menu.getByTestId('export-csv').click())
    expect(name).toMatch(/\.csv$/)
    const rows = parseCsv(bytes.toString('utf8'))
    // what the chart plots: one row per bar (series = policy, x = VM), its CI whisker as columns
    expect(rows[0]).toEqual(['series', 'x', 'y', 'ci_low', 'ci_high'])
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(new Set(['kvm', 'ecs']))
    expect(rows.slice(1).every((r) => Number(r[2]) > 0 && Number(r[3]) <= Number(r[2]) && Number(r[4]) >= Number(r[2]))).toBe(true)
  })

  it('other charts export too (preemptions: SVG + CSV)', async () => {
    const { page } = ctx
    await page.getByTestId('chart-throughput-export').getByTestId('export-toggle').click()
    const menu = page.getByTestId('chart-preemptions-export')
    await menu.getByTestId('export-toggle').click()
    const svg = await download(page, () => menu.getByTestId('export-svg').click())
    expect(svg.bytes.toString('utf8').startsWith('<svg')).toBe(true)
    const csv = parseCsv((await download(page, () => menu.getByTestId('export-csv').click())).bytes.toString('utf8'))
    expect(csv[0].slice(0, 3)).toEqual(['series', 'x', 'y'])
    await screenshot(page, 'figure-export-preemptions')
    expect(ctx.pageErrors).toEqual([])
  })
})
