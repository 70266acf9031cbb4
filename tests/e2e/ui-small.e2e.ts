/**
 * Issue 15 item 6 (the smaller items done on branch ui2): the Simulated time error in ms; pinning
 * errors without NaN; an over-commit warning before running; notices that leave with their page;
 * Saved runs search on the variant label as shown; notes shown in full.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openApp, screenshot, type E2eContext } from './browser'

let ctx: E2eContext

beforeAll(async () => {
  ctx = await openApp()
  ctx.page.setDefaultTimeout(90_000)
  vi.setConfig({ expect: { poll: { timeout: 30_000, interval: 100 } } })
})

afterAll(async () => {
  await ctx?.close()
})

async function goto(hash: string): Promise<void> {
  await ctx.page.evaluate((h) => { window.location.hash = h }, hash)
}

describe('smaller UI items', () => {
  it('Layouts: pinning errors name the bad entries (no NaN), extreme over-commit warns, and the toast leaves with the page', async () => {
    const { page } = ctx
    await goto('#/layouts')
    await page.getByTestId('layout-new').click()
    await page.getByTestId('layout-editor').waitFor()
    await page.getByTestId('input-vms.0.pinned').check()
    const pins = page.getByTestId('input-vms.0.pinning')
    await pins.fill('0, x, y, 3')
    await pins.press('Tab')
    const err = page.getByTestId('error-vms.0.pinning')
    await expect.poll(() => err.innerText()).toMatch(/entries 2, 3 are not a pCPU number: give whole numbers 0\.\.\d+/)
    expect(await err.innerText()).not.toMatch(/NaN/)
    expect(await pins.inputValue()).toBe('0, x, y, 3')
    // 16 vCPUs on 1 pCPU: a warning before anything runs
    expect(await page.getByTestId('layout-overcommit').count()).toBe(0)
    await page.getByTestId('input-host.pcpus').fill('1')
    await page.getByTestId('input-host.pcpus').press('Tab')
    await expect.poll(() => page.getByTestId('layout-overcommit').innerText()).toMatch(/^\d+× over-commit: more than 8 vCPUs per pCPU/)
    // saving with problems raises an error notice on this page ...
    await page.getByTestId('layout-save').click()
    await expect.poll(() => page.getByTestId('notice').count()).toBeGreaterThan(0)
    expect(await page.getByTestId('notice').first().innerText()).toMatch(/Fix \d+ problems? before saving/)
    await screenshot(page, 'ui-small-layouts-errors')
    // ... which does not follow the user to Timeline
    await page.waitForTimeout(1100)
    await page.getByTestId('nav-timeline').click()
    await expect.poll(() => page.getByTestId('notice').count()).toBe(0)
    await screenshot(page, 'ui-small-timeline-no-toast')
  })

  it('Run: the Simulated time error is in ms, before starting', async () => {
    const { page } = ctx
    await goto('#/run?preset=quick&policies=kvm&seeds=1')
    await page.getByTestId('run-setup').waitFor()
    await page.getByTestId('run-duration').fill('0.0005')
    await page.getByTestId('run-duration').press('Tab')
    const err = page.getByTestId('error-durationNs')
    await expect.poll(() => err.innerText()).toMatch(/Simulated time must be between 0\.001 ms and 1,000,000 ms \(got 0\.0005 ms\)/)
    expect(await err.innerText()).not.toMatch(/>=\s*1000\b/)
    await page.getByTestId('run-start').click()
    await expect.poll(() => page.locator('.error[role=alert]').allInnerTexts()).toContainEqual(expect.stringMatching(/Simulated time must be between/))
    expect(await page.getByTestId('run-progress').count()).toBe(0)
    await screenshot(page, 'ui-small-run-duration')
    await page.getByTestId('run-duration').fill('')
  })

  it('Saved runs: search matches the variant label as shown; notes are not cut off', async () => {
    const { page } = ctx
    const ids = await page.evaluate(async () => {
      const res = await window.api.runs.start({ source: { kind: 'preset', preset: 'quick' }, policies: ['kvm', { id: 'ecs', params: { vetoCap: 4 } }], seeds: [1] })
      for (let i = 0; i < 600; i++) {
        const all = await Promise.all(res.runIds.map((id) => window.api.runs.get(id)))
        if (all.every((d) => d.status === 'done')) break
        await new Promise((r) => setTimeout(r, 100))
      }
      return res.runIds
    })
    const note = 'A long note about this run: ' + 'the vCPU that held the lock was preempted by the tick, and the waiters spun until PLE fired. '.repeat(3) + 'END-OF-NOTE'
    await page.evaluate(async ([id, n]) => { await window.api.runs.setNote(id!, n!) }, [ids[0], note])
    await goto('#/runs')
    await page.getByTestId('runs-table').waitFor()
    await page.getByTestId('runs-search').fill('ecs {vetoCap: 4}')
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(1)
    expect(await page.getByTestId('runs-policy').first().innerText()).toBe('ecs {vetoCap: 4}')
    await page.getByTestId('runs-search').fill('')
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(2)
    const shown = await page.locator(`[data-testid=runs-row][data-run="${ids[0]}"] [data-testid=runs-note]`).innerText()
    expect(shown.replace(/\s+/g, ' ').trim()).toBe(note.replace(/\s+/g, ' ').trim())
    await screenshot(page, 'ui-small-saved-runs-note')
    expect(ctx.pageErrors).toEqual([])
  })
})
