/**
 * A simulated figure that no measurement backs says so where it is shown: the Run page's results (and
 * Compare, Sweep) carry a "Simulated." notice naming the host sizes real guests were measured on and the
 * held-out error from docs/validation.json, with a link to the Validation page.
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

describe('simulated results say what backs them', () => {
  it('a run on a host no measurement covers is marked as not backed, with a link to the validation', async () => {
    const { page } = ctx
    await page.goto(`${ctx.harness.server.url.split('#')[0]}#/run?preset=quick&policies=ecs,kvm&seeds=1&auto=1`)
    await page.getByTestId('run-results').waitFor({ timeout: 150_000 })
    const notice = page.getByTestId('simulated-notice')
    await notice.waitFor()
    // the quick preset's host (4 pCPUs) is not among the measured configurations (2 host cores)
    expect(await notice.getAttribute('data-backed')).toBe('no')
    const text = await notice.innerText()
    expect(text).toMatch(/^Simulated\./)
    expect(text).toMatch(/No measurement backs these figures: real guests were measured only on 2-pCPU hosts/)
    expect(text).toMatch(/off by \d\.\d\d in normalised throughput/)
    await screenshot(page, 'simulated-notice-run')
    await page.getByTestId('simulated-notice-link').click()
    await page.waitForURL(/#\/validation/)
    expect(ctx.pageErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([])
  })
})
