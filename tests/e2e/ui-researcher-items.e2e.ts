/**
 * Issue 15, the six items finished last (each test fails on the code before them):
 *  1. REPORT and VALIDATION open inside the app (Docs page, docs:get): from the nav, the results card,
 *     the simulated notice and the Validation page; every figure is drawn (sanitised data: URL images,
 *     nothing blocked by the CSP).
 *  2. The Run form has a warm-up field: its default covers the start-up transient, a bad value is
 *     refused with the field and the range in ms, and the runs get the warm-up (shaded in the series).
 *  3. An empty Sockets field means one socket on an 8-pCPU host (10-core sockets from 20 pCPUs), shown
 *     as the placeholder and drawn and stored that way.
 *  4. Per-VM ratios carry the same 95 % CI as the all-VMs ratio: whiskers, table, CSV export.
 *  5. Saved runs: add tags to many selected runs (select-all = the filtered list), remove one from many.
 *  6. The Sweep form shows the parameters of the stored campaign whose results it shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { openApp, screenshot, SCREENSHOT_DIR, type E2eContext } from './browser'
import { parseCsv } from '../../src/shared/charts'
import { figureRefs } from '../../src/main/services/docs'
import { defaultWarmupNs } from '../../src/renderer/src/lib/run-checks'

let ctx: E2eContext
const base = () => ctx.harness.server.url.split('#')[0]

beforeAll(async () => {
  ctx = await openApp()
  ctx.page.setDefaultTimeout(60_000)
})

afterAll(async () => {
  await ctx?.close()
})

async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()])
  return readFileSync(await dl.path(), 'utf8')
}

/** A kvm vs ecs batch on the quick preset (3 seeds), started by link; its results on the Run page. */
let batchShown = false
async function showBatch(): Promise<void> {
  const { page } = ctx
  if (batchShown) {
    await page.getByTestId('nav-run').click()
  } else {
    await page.goto(`${base()}#/run?preset=quick&policies=kvm,ecs&seeds=3&auto=1`)
    batchShown = true
  }
  await page.getByTestId('run-results').waitFor({ timeout: 150_000 }).catch(async (e) => { await page.screenshot({ path: join(SCREENSHOT_DIR, 'issue15-batch-timeout.png'), fullPage: true }); throw e })
}

/** Every <img> of the Docs page has loaded and has a size (a CSP block or a broken SVG has none). */
async function docImages(page: Page): Promise<{ figure: string; ok: boolean }[]> {
  return page.locator('[data-testid=docs-body] img').evaluateAll((imgs) =>
    (imgs as HTMLImageElement[]).map((i) => ({ figure: i.dataset.figure ?? '', ok: i.complete && i.naturalWidth > 0 && i.src.startsWith('data:image/svg+xml') })))
}

async function expectDoc(page: Page, name: 'report' | 'validation', file: string): Promise<void> {
  await page.locator(`[data-testid=page-docs][data-doc=${name}] [data-testid=docs-body]`).waitFor()
  const refs = figureRefs(readFileSync(join(__dirname, '../../docs', file), 'utf8'))
  await expect.poll(async () => (await docImages(page)).filter((i) => i.ok).length, { timeout: 15_000 }).toBe(refs.length)
  expect((await docImages(page)).map((i) => i.figure)).toEqual(refs)
  expect(await page.getByTestId('doc-missing-figure').count()).toBe(0)
  expect(await page.getByTestId('docs-source').innerText()).toContain(`docs/${file}`)
}

describe('issue 15: the last six items', () => {
  it('2. the Run form has a warm-up field with a default that covers the start-up transient', async () => {
    const { page } = ctx
    await page.goto(`${base()}#/run?preset=quick&policies=kvm&seeds=1`)
    const field = page.getByTestId('run-warmup')
    // quick runs 20 ms: the default is the measured transient, at most half the run
    const expected = defaultWarmupNs(20e6)
    await expect.poll(() => field.getAttribute('placeholder')).toBe(String(expected / 1e6))
    await field.fill('25')
    await field.press('Tab')
    const error = page.getByTestId('error-warmupNs')
    await expect.poll(() => error.innerText()).toBe('Warm-up must be at least 0 ms and less than the simulated time: 0 ≤ warm-up < 20 ms (got 25 ms)')
    await page.getByTestId('run-start').click()
    await expect.poll(() => page.locator('.setup [role=alert]').allInnerTexts()).toContain('Warm-up must be at least 0 ms and less than the simulated time: 0 ≤ warm-up < 20 ms (got 25 ms)')
    expect(await page.getByTestId('run-results').count()).toBe(0)
    await screenshot(page, 'issue15-warmup-error')
    // empty = the default: the run gets it and the time series shades it
    await field.fill('')
    await page.getByTestId('run-start').click()
    await page.getByTestId('run-results').waitFor({ timeout: 150_000 })
    const warmupNs = await page.evaluate(async () => {
      const row = (await window.api.runs.list({ limit: 1, sort: 'created-desc', offset: 0 })).rows[0]!
      return (await window.api.runs.get(row.id)).result?.warmupNs
    })
    expect(warmupNs).toBe(expected)
    await page.getByTestId('chart-series').scrollIntoViewIfNeeded()
    await screenshot(page, 'issue15-warmup')
    await page.getByTestId('chart-series').screenshot({ path: join(SCREENSHOT_DIR, 'issue15-warmup-series.png') })
    expect(ctx.pageErrors).toEqual([])
  })

  it('4. per-VM throughput ratios carry a 95 % CI in the chart, the table and the CSV export', async () => {
    const { page } = ctx
    await showBatch()
    const cells = page.getByTestId('ratio-cell')
    const texts = await cells.allInnerTexts()
    expect(texts.map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(expect.arrayContaining([expect.stringMatching(/×\s*± [\d.]+$/)]))
    const byVm = new Map<string, number>()
    for (const c of await cells.all()) {
      const m = /± ([\d.]+)/.exec(await c.innerText())
      expect(m, `CI in the ${await c.getAttribute('data-vm')} ratio cell`).not.toBeNull()
      byVm.set((await c.getAttribute('data-vm'))!, Number(m![1]))
    }
    expect([...byVm.keys()].sort()).toEqual(['all VMs', 'vm0', 'vm1'])
    // the all-VMs CI is the headline's
    const headline = Number(/± ([\d.]+) \(95% CI/.exec(await page.getByTestId('result-ratio').innerText())![1])
    expect(byVm.get('all VMs')).toBeCloseTo(headline, 3)
    // the export carries every bar's interval
    const menu = page.getByTestId('chart-ratio-export')
    await page.getByTestId('chart-ratio').scrollIntoViewIfNeeded()
    await menu.getByTestId('export-toggle').click()
    const csv = parseCsv(await download(page, () => menu.getByTestId('export-csv').click()))
    await menu.getByTestId('export-toggle').click()
    expect(csv[0]).toEqual(['series', 'x', 'y', 'ci_low', 'ci_high'])
    expect(csv.slice(1).map((r) => r[1]).sort()).toEqual(['all VMs', 'vm0', 'vm1'])
    for (const [series, vm, y, lo, hi] of csv.slice(1)) {
      expect(series).toBe('ecs / kvm')
      expect(Number(lo)).toBeLessThanOrEqual(Number(y))
      expect(Number(hi)).toBeGreaterThanOrEqual(Number(y))
      // paired by seed: symmetric, the table's half-width
      expect(Number(hi) - Number(y)).toBeCloseTo(byVm.get(vm!)!, 2)
    }
    await page.getByTestId('chart-ratio').screenshot({ path: join(SCREENSHOT_DIR, 'issue15-ratio-ci.png') })
    await page.getByTestId('throughput-table').screenshot({ path: join(SCREENSHOT_DIR, 'issue15-ratio-ci-table.png') })
    // (item 2) a batch started by a link (?auto=1) gets the form's default warm-up too, not the preset's own
    const warmups = await page.evaluate(async () => {
      const rows = (await window.api.runs.list({ limit: 100, sort: 'created-desc', offset: 0 })).rows
      return Promise.all(rows.map(async (r) => (await window.api.runs.get(r.id)).result?.warmupNs))
    })
    expect(new Set(warmups)).toEqual(new Set([defaultWarmupNs(20e6)]))
    expect(ctx.pageErrors).toEqual([])
  })

  it('1. REPORT and VALIDATION open in the app, from the results, the notice, the Validation page and the nav', async () => {
    const { page } = ctx
    await showBatch()
    await page.getByTestId('result-docs-report').click()
    await expectDoc(page, 'report', 'REPORT.md')
    await screenshot(page, 'issue15-docs-report')
    // what a reader sees: the top of the page, and the first figure with the text around it
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'issue15-docs-report-top.png') })
    await page.locator('[data-testid=docs-body] img').first().scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'issue15-docs-report-figure.png') })
    // the report's own link to VALIDATION.md stays inside the app
    await page.locator('[data-testid=docs-body] a[data-doc-link=validation]').first().click()
    await expectDoc(page, 'validation', 'VALIDATION.md')
    await screenshot(page, 'issue15-docs-validation')
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'issue15-docs-validation-top.png') })
    // from the simulated notice beside every result
    await showBatch()
    await page.getByTestId('simulated-notice-report').first().click()
    await expectDoc(page, 'report', 'REPORT.md')
    await showBatch()
    await page.getByTestId('simulated-notice-validation').first().click()
    await expectDoc(page, 'validation', 'VALIDATION.md')
    // from the Validation page
    await page.getByTestId('nav-validation').click()
    await page.getByTestId('validation-doc-open').click()
    await expectDoc(page, 'validation', 'VALIDATION.md')
    // and from the nav
    await page.getByTestId('nav-home').click()
    await page.getByTestId('nav-docs').click()
    await expectDoc(page, 'report', 'REPORT.md')
    // the document is named by an enum: anything else is refused with the allowed values
    const refused = await page.evaluate(() => window.api.docs.get({ name: '../package.json' as never }).then(() => 'served', (e: Error) => e.message))
    expect(refused).toMatch(/args\.0\.name: .*must be one of report, validation/)
    expect(ctx.pageErrors).toEqual([])
  })

  it('5. Saved runs: bulk-add tags to the selected runs, select-all of the filtered list, bulk-remove a tag', async () => {
    const { page } = ctx
    await showBatch()
    const list = () => page.evaluate(async () => (await window.api.runs.list({ limit: 100, sort: 'created-desc', offset: 0 })).rows.map((r) => ({ id: r.id, policy: r.policy, tags: r.tags })))
    const before = await list()
    expect(before.length).toBeGreaterThanOrEqual(6)
    // one run already has a tag of its own: bulk tagging adds, never replaces
    const own = before[0]!.id
    await page.evaluate((id) => window.api.runs.setTags(id, ['own']), own)
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('runs-table').waitFor()
    await page.getByTestId('runs-select-all').check()
    await expect.poll(() => page.getByTestId('runs-selected-count').innerText()).toBe(`${before.length} selected`)
    await page.getByTestId('runs-bulk-tags').click()
    // a tag the contract refuses is named before anything is sent
    await page.getByTestId('bulk-tags-input').fill(`ok ${'x'.repeat(70)}`)
    await expect.poll(() => page.getByTestId('bulk-tags-error').innerText()).toMatch(/^tag "x{70}": .*\(1 to 64 characters, no spaces or commas\)$/)
    expect(await page.getByTestId('bulk-tags-add').isDisabled()).toBe(true)
    await page.getByTestId('bulk-tags-input').fill('alpha, beta')
    await page.getByTestId('bulk-tags-add').click()
    await expect.poll(async () => (await list()).every((r) => r.tags.includes('alpha') && r.tags.includes('beta'))).toBe(true)
    expect((await list()).find((r) => r.id === own)!.tags).toEqual(['alpha', 'beta', 'own'])
    await page.getByTestId('bulk-tags-present').waitFor()
    await screenshot(page, 'issue15-bulk-tags')
    await page.getByTestId('bulk-tags-close').click()
    // select-all takes the filtered list only: the ecs runs
    await page.getByTestId('filter-policy-ecs').check()
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(before.filter((r) => r.policy === 'ecs').length)
    await page.getByTestId('runs-select-all').uncheck()
    await page.getByTestId('runs-select-all').check()
    const ecsCount = before.filter((r) => r.policy === 'ecs').length
    await expect.poll(() => page.getByTestId('runs-selected-count').innerText()).toBe(`${ecsCount} selected`)
    await page.getByTestId('runs-bulk-tags').click()
    await page.getByTestId('bulk-tag-remove-alpha').click()
    await expect.poll(async () => (await list()).filter((r) => r.tags.includes('alpha')).map((r) => r.policy).sort()).toEqual(before.filter((r) => r.policy !== 'ecs').map((r) => r.policy).sort())
    for (const r of await list()) expect(r.tags, r.policy).toContain('beta')
    await page.getByTestId('bulk-tags-close').click()
    expect(ctx.pageErrors).toEqual([])
  })

  it('3. an empty Sockets field is one socket on a small host, 10-core sockets from 20 pCPUs (placeholder, picture, stored)', async () => {
    const { page } = ctx
    await page.getByTestId('nav-layouts').click()
    await page.getByTestId('layout-new').click()
    await page.getByTestId('layout-editor').waitFor()
    await page.getByTestId('layout-name').fill('eight cores')
    const sockets = page.getByTestId('field-host.sockets').locator('input')
    await page.getByTestId('input-host.pcpus').fill('40')
    await expect.poll(() => sockets.getAttribute('placeholder')).toBe('4')
    await page.getByTestId('input-host.pcpus').fill('8')
    await expect.poll(() => sockets.getAttribute('placeholder')).toBe('1')
    expect(await sockets.inputValue()).toBe('')
    await expect.poll(() => page.getByTestId('host-picture').innerText()).toMatch(/on 8 pCPUs in 1 socket ·/)
    await page.getByTestId('layout-save').click()
    await page.getByTestId('layout-list').getByText('eight cores').waitFor()
    const stored = await page.evaluate(async () => {
      const l = (await window.api.layouts.list()).find((x) => x.name === 'eight cores')!
      return (await window.api.layouts.get(l.id)).scenario.host.sockets
    })
    expect(stored).toBe(1)
    await screenshot(page, 'issue15-sockets')
    expect(ctx.pageErrors).toEqual([])
  })

  it('6. the Sweep form shows the parameters of the stored campaign whose results it shows', async () => {
    const { page } = ctx
    await page.getByTestId('nav-sweep').click()
    await page.getByTestId('sweep-setup').waitFor()
    // a sweep unlike the form's defaults
    await page.getByTestId('sweep-workload').selectOption('cpu-bound')
    await page.getByTestId('sweep-pcpus').fill('4')
    await page.getByTestId('sweep-vms').fill('1')
    await page.getByTestId('sweep-levels').fill('0.5, 1')
    await page.getByTestId('sweep-seeds').fill('1')
    await page.getByTestId('sweep-duration').fill('5')
    await page.getByTestId('sweep-start').click()
    await page.getByTestId('sweep-result').waitFor()
    const id = await page.evaluate(async () => (await window.api.campaigns.list())[0]!.id)
    // leave (the form starts over at its defaults) and open the stored campaign again
    await page.getByTestId('nav-home').click()
    await page.goto(`${base()}#/sweep?campaign=${id}`)
    await page.getByTestId('sweep-result').waitFor()
    const form = async () => ({
      workload: await page.getByTestId('sweep-workload').inputValue(),
      pcpus: await page.getByTestId('sweep-pcpus').inputValue(),
      vms: await page.getByTestId('sweep-vms').inputValue(),
      levels: await page.getByTestId('sweep-levels').inputValue(),
      seeds: await page.getByTestId('sweep-seeds').inputValue(),
      durationMs: await page.getByTestId('sweep-duration').inputValue()
    })
    const stored = { workload: 'cpu-bound', pcpus: '4', vms: '1', levels: '0.5, 1', seeds: '1', durationMs: '5' }
    await expect.poll(form).toEqual(stored)
    expect(await page.getByTestId('sweep-form-source').getAttribute('data-state')).toBe('loaded')
    await expect.poll(() => page.getByTestId('sweep-start').innerText()).toBe('Run the sweep (4 runs)')
    await screenshot(page, 'issue15-sweep-form')
    // changing the form says so and offers to load the campaign's parameters again
    await page.getByTestId('sweep-pcpus').fill('6')
    await expect.poll(() => page.getByTestId('sweep-form-source').getAttribute('data-state')).toBe('changed')
    await page.getByTestId('sweep-load-params').click()
    await expect.poll(form).toEqual(stored)
    // a campaign the form did not make leaves the form alone and says so
    const foreign = await page.evaluate(async () => (await window.api.campaigns.start({ text: JSON.stringify({ name: 'not a sweep', scenarios: ['quick'], policies: ['kvm'], seeds: [1] }), source: 'app' })).id)
    await page.goto(`${base()}#/sweep?campaign=${foreign}`)
    await expect.poll(() => page.getByTestId('sweep-form-source').getAttribute('data-state')).toBe('foreign')
    expect(await page.getByTestId('sweep-form-source').innerText()).toMatch(/Showing the results of campaign not a sweep, which this form did not make/)
    expect(ctx.pageErrors).toEqual([])
  })
})
