/**
 * Issue 15, item 4: results carry their context. After a kvm vs ecs batch the headline says whether the
 * 95 % CI of the ratio includes 1, how many tick-path preemptions inside critical sections eCS had to
 * act on, the regime (pCPU busy share), and the ratio chart (and its export) marks the paper's claim.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { openApp, screenshot, type E2eContext } from './browser'

let ctx: E2eContext

beforeAll(async () => {
  ctx = await openApp()
})

afterAll(async () => {
  await ctx?.close()
})

describe('results carry their context (issue 15, item 4)', () => {
  it('says whether a difference is resolved, what eCS had to act on, the regime, and marks the paper claim', async () => {
    const { page } = ctx
    await page.goto(`${ctx.harness.server.url.split('#')[0]}#/run?preset=quick&policies=kvm,ecs&seeds=3&auto=1`)
    await page.getByTestId('run-results').waitFor({ timeout: 150_000 })
    const ratio = Number(await page.getByTestId('result-ratio').getAttribute('data-ratio'))
    const ciText = await page.getByTestId('result-ratio').innerText()
    const ci = Number(/± ([\d.]+) \(95% CI/.exec(ciText)![1])
    const includes = ratio - ci <= 1 && ratio + ci >= 1
    expect(await page.getByTestId('result-resolved').innerText()).toBe(includes ? 'no difference resolved (95 % CI includes 1)' : 'difference resolved (95 % CI excludes 1)')
    // the baseline's tick-path in-CS preemptions, as the stored runs' counters say
    const expected = await page.evaluate(async () => {
      const rows = (await window.api.runs.list({ policy: ['kvm'], status: ['done'], limit: 10, sort: 'created-desc', offset: 0 })).rows
      const ds = await Promise.all(rows.map((r) => window.api.runs.get(r.id)))
      return Math.round(ds.reduce((a, d) => a + (d.result?.counters['preempt.inCsTick'] ?? 0), 0) / ds.length)
    })
    expect(await page.getByTestId('result-actionable').innerText()).toMatch(new RegExp(`eCS had ${expected.toLocaleString('en-US')} tick-path in-CS preemptions? to act on \\(kvm, mean per run\\)`))
    expect(await page.getByTestId('result-regime').innerText()).toMatch(/regime: pCPUs busy [\d.]+ %/)
    // quick is over-committed (8 vCPUs on 4 pCPUs): the over-commit claim is marked on the ratio chart and its export
    const menu = page.getByTestId('chart-ratio-export')
    await menu.getByTestId('export-toggle').click()
    const [dl] = await Promise.all([page.waitForEvent('download'), menu.getByTestId('export-svg').click()])
    expect(readFileSync(await dl.path(), 'utf8')).toContain('paper: up to 2.5× (over-committed)')
    await menu.getByTestId('export-toggle').click()
    await screenshot(page, 'issue15-results-context')
    expect(ctx.pageErrors).toEqual([])
  })
})
