/**
 * Issue 15, item 2: every chart's export draws exactly what the chart shows. For each chart in the app
 * (run results: throughput, ratio, preemptions, lock wait, time series; Compare: metrics, overlaid
 * series; Sweep: ratio vs commit level; Saved runs: parallel coordinates), the series the screen
 * chart plots (name, type, colour: BaseChart's data-series, read from the option ECharts draws) are
 * compared with the downloaded SVG (every series name in its text, every series colour in its
 * paint) and CSV (the same series, no more, no fewer). Opening each chart's Export menu is a real
 * click, so a control covering a button fails the test (the time series' "Over time" select did).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { openApp, screenshot, type E2eContext } from './browser'
import { parseCsv } from '../../src/shared/charts'

let ctx: E2eContext

beforeAll(async () => {
  ctx = await openApp()
})

afterAll(async () => {
  await ctx?.close()
})

async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()])
  return readFileSync(await dl.path(), 'utf8')
}

/** Every colour an SVG paints with, as lower-case #rrggbb. */
function svgColours(svg: string): Set<string> {
  const out = new Set<string>()
  for (const m of svg.matchAll(/#([0-9a-fA-F]{6})\b/g)) out.add(`#${m[1].toLowerCase()}`)
  for (const m of svg.matchAll(/rgba?\((\d+),\s*(\d+),\s*(\d+)/g)) out.add(`#${[m[1], m[2], m[3]].map((x) => Number(x).toString(16).padStart(2, '0')).join('')}`)
  return out
}

const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')

/** Screen series vs SVG and CSV for one chart; returns the screen series. */
async function checkChart(page: Page, testid: string): Promise<{ name: string; type: string; color: string | null }[]> {
  const fig = page.getByTestId(testid)
  await fig.locator('canvas').first().waitFor()
  const screen = JSON.parse((await fig.getAttribute('data-series'))!) as { name: string; type: string; color: string | null }[]
  expect(screen.length, testid).toBeGreaterThan(0)
  const menu = page.getByTestId(`${testid}-export`)
  await menu.getByTestId('export-toggle').click({ timeout: 5000 })
  const svg = await download(page, () => menu.getByTestId('export-svg').click())
  const texts = new Set([...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescapeXml(m[1])))
  const colours = svgColours(svg)
  for (const s of screen) {
    expect([...texts].some((t) => t === s.name || t.includes(s.name)), `${testid}: legend "${s.name}" in the SVG`).toBe(true)
    if (s.color && /^#[0-9a-f]{6}$/i.test(s.color)) expect(colours.has(s.color.toLowerCase()), `${testid}: colour ${s.color} of "${s.name}" in the SVG`).toBe(true)
  }
  const csv = parseCsv(await download(page, () => menu.getByTestId('export-csv').click()))
  if (screen.every((s) => s.type !== 'parallel')) {
    expect(new Set(csv.slice(1).map((r) => r[0])), `${testid}: CSV series`).toEqual(new Set(screen.map((s) => s.name)))
  } else {
    expect(csv.length, `${testid}: CSV rows`).toBeGreaterThan(1)
  }
  await menu.getByTestId('export-toggle').click()
  return screen
}

describe('exports draw what the charts show (issue 15, item 2)', () => {
  it('run results: throughput, ratio, preemptions, lock wait, time series', async () => {
    const { page } = ctx
    await page.goto(`${ctx.harness.server.url.split('#')[0]}#/run?preset=quick&policies=kvm,ecs,ecs-alternate&seeds=2&auto=1`)
    await page.getByTestId('run-results').waitFor({ timeout: 170_000 })
    const ratio = await checkChart(page, 'chart-ratio')
    // two policies against the baseline: both on screen, both exported
    expect(ratio.map((s) => s.name)).toEqual(['ecs / kvm', 'ecs-alternate / kvm'])
    const tp = await checkChart(page, 'chart-throughput')
    expect(tp.map((s) => s.name)).toEqual(['kvm', 'ecs', 'ecs-alternate'])
    await checkChart(page, 'chart-preemptions')
    await checkChart(page, 'chart-lock-wait')
    await checkChart(page, 'chart-series')
    await screenshot(page, 'issue15-exports-run')
  })

  it('Compare: metrics and overlaid series', async () => {
    const { page } = ctx
    const ids = await page.evaluate(async () => (await window.api.runs.list({ status: ['done'], limit: 10, sort: 'created-desc', offset: 0 })).rows.map((r) => r.id))
    expect(ids.length).toBeGreaterThanOrEqual(3)
    await page.goto(`${ctx.harness.server.url.split('#')[0]}#/compare?runs=${ids.slice(0, 3).join(',')}`)
    await page.getByTestId('chart-compare-metrics').waitFor({ timeout: 60_000 })
    await checkChart(page, 'chart-compare-metrics')
    await checkChart(page, 'chart-compare-series')
    await screenshot(page, 'issue15-exports-compare')
  })

  it('Sweep ratio and the campaign parallel coordinates', async () => {
    const { page } = ctx
    await page.getByTestId('nav-sweep').click()
    await page.getByTestId('sweep-setup').waitFor()
    await page.getByTestId('sweep-pcpus').fill('4')
    await page.getByTestId('sweep-levels').fill('0.5, 2')
    await page.getByTestId('sweep-duration').fill('10')
    await page.getByTestId('sweep-start').click()
    await page.getByTestId('sweep-result').waitFor()
    await expect.poll(() => page.locator('[data-testid=sweep-table] tbody tr').count(), { timeout: 150_000 }).toBe(2)
    await checkChart(page, 'chart-sweep')
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('campaigns-table').waitFor()
    await page.getByTestId('campaign-parallel').first().click()
    await checkChart(page, 'chart-parallel')
    await screenshot(page, 'issue15-exports-parallel')
    expect(ctx.pageErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([])
  })
})
