/**
 * Issue 15, item 5: Compare shows throughput first, relative to the chosen baseline (kvm by default)
 * with delta and % per run (percentile interpolation is unit-tested in tests/unit/store); every run
 * shows the `ecs-lab` command line and scenario JSON that reproduce it, copyable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, type E2eContext } from './browser'

let ctx: E2eContext

beforeAll(async () => {
  ctx = await openApp()
})

afterAll(async () => {
  await ctx?.close()
})

describe('compare and reproduce (issue 15, item 5)', () => {
  it('every run shows the ecs-lab command and scenario JSON that reproduce it, copyable', async () => {
    const { page } = ctx
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    await page.goto(`${ctx.harness.server.url.split('#')[0]}#/run?preset=quick&policies=ecs,kvm&seeds=1&auto=1`)
    await page.getByTestId('run-results').waitFor({ timeout: 150_000 })
    await page.getByTestId('run-repro').locator('summary').first().click()
    const commands = await page.getByTestId('repro-command').allInnerTexts()
    expect(commands).toHaveLength(2)
    for (const c of commands) expect(c).toMatch(/^npx ecs-lab run run-[0-9a-f]{12}\.json --json$/)
    const first = page.locator('[data-testid=run-repro] .repro-run').first()
    const id = (await first.getAttribute('data-run'))!
    await first.getByTestId('repro-copy-json').click()
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    const stored = await page.evaluate(async (rid) => (await window.api.runs.get(rid)).scenario, id)
    expect(JSON.parse(copied)).toEqual(stored)
    await first.getByTestId('repro-copy-command').click()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`npx ecs-lab run run-${id.slice(0, 12)}.json --json`)
    await screenshot(page, 'issue15-repro')
  })

  it('Compare: throughput first, relative to the kvm baseline, with delta and %', async () => {
    const { page } = ctx
    const rows = await page.evaluate(async () => (await window.api.runs.list({ status: ['done'], limit: 10, sort: 'created-desc', offset: 0 })).rows)
    // the ecs run first: the baseline is still the kvm run, not the first column
    const ids = [...rows].sort((a, b) => (a.policy === 'ecs' ? -1 : b.policy === 'ecs' ? 1 : 0)).map((r) => r.id)
    await page.goto(`${ctx.harness.server.url.split('#')[0]}#/compare?runs=${ids.join(',')}`)
    await page.getByTestId('metric-table').waitFor({ timeout: 60_000 })
    expect(await page.locator('[data-testid=metric-table] tbody tr').first().getAttribute('data-metric')).toBe('total.opsPerSec')
    expect(await page.getByTestId('compare-baseline').inputValue()).toBe('1')
    const head = await page.locator('[data-testid=metric-table] thead').innerText()
    expect(head).toMatch(/2\. .*\(baseline\)/)
    const deltas = await page.getByTestId('metric-delta').allInnerTexts()
    expect(deltas.length).toBeGreaterThan(0)
    expect(deltas[0]).toMatch(/^Δ [+-][\d.,kMG ]+ \([+-][\d.]+ %\)$/)
    expect(await page.getByTestId('chart-compare-metrics').innerText()).toMatch(/% of the baseline: 2\./)
    await screenshot(page, 'issue15-compare')
    expect(ctx.pageErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([])
  })
})
