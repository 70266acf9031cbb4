/**
 * Issue 15, item 6 (the smaller items fixed in this round): identical series in the time series stay
 * distinguishable (different dashes per policy), no chart series is black (invisible on the dark
 * theme), and notes are shown in full in Saved runs.
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

const NOTE = 'A long note about why this batch exists: comparing the baseline with the alternating veto on the quick preset, to check whether they differ at all on a 4-pCPU host.'

describe('smaller items (issue 15, item 6)', () => {
  it('time series: identical lines stay visible; no black series on the dark theme', async () => {
    const { page } = ctx
    await page.goto(`${ctx.harness.server.url.split('#')[0]}#/run?preset=quick&policies=kvm,ecs-alternate&seeds=1`)
    await page.getByTestId('run-note').fill(NOTE)
    await page.getByTestId('run-start').click()
    await page.getByTestId('run-results').waitFor({ timeout: 150_000 })
    const series = JSON.parse((await page.getByTestId('chart-series').getAttribute('data-series'))!) as { name: string; dash?: string; color: string | null }[]
    const vm0 = series.filter((s) => s.name.endsWith('· vm0'))
    expect(vm0).toHaveLength(2)
    expect(vm0[0].dash).not.toBe(vm0[1].dash)
    await page.getByTestId('theme-toggle').click()
    await page.waitForTimeout(300)
    for (const id of ['chart-series', 'chart-throughput', 'chart-lock-wait', 'chart-preemptions']) {
      const sig = JSON.parse((await page.getByTestId(id).getAttribute('data-series'))!) as { color: string | null }[]
      for (const s of sig) expect(s.color?.toLowerCase(), id).not.toBe('#000000')
    }
    await screenshot(page, 'issue15-small-dark')
    await page.getByTestId('theme-toggle').click()
  })

  it('notes are shown in full in Saved runs', async () => {
    const { page } = ctx
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('runs-table').waitFor()
    const notes = await page.getByTestId('runs-note').allInnerTexts()
    expect(notes).toContain(NOTE)
    await screenshot(page, 'issue15-small-notes')
    expect(ctx.pageErrors).toEqual([])
  })
})
