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
    // one shared reproduce component (src/shared/reproduce-command.ts) for Run, Saved runs and Compare
    const commands = await page.locator('[data-testid=run-repro]').getByTestId('reproduce-command').allInnerTexts()
    expect(commands).toHaveLength(2)
    for (const c of commands) expect(c).toMatch(/^ecs-lab run run-[0-9a-f]{12}\.json --policy (ecs|kvm) --seed 1( --set .*)?$/)
    const first = page.locator('[data-testid=run-repro] .repro-run').first()
    const id = (await first.getAttribute('data-run'))!
    await first.locator('details summary').first().click()
    await first.getByTestId('copy-json').click()
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    const stored = await page.evaluate(async (rid) => (await window.api.runs.get(rid)).scenario, id)
    // the file holds the stored scenario; policy and seed travel on the command line
    const { policy: _p, seed: _s, ...rest } = stored as Record<string, unknown>
    const { policy: _p2, seed: _s2, ...copiedRest } = JSON.parse(copied) as Record<string, unknown>
    expect(copiedRest).toEqual(rest)
    await first.getByTestId('copy-command').click()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(new RegExp(`^ecs-lab run run-${id.slice(0, 12)}\\.json --policy`))
    await screenshot(page, 'issue15-repro')
  })
  // Compare's throughput-first default, the kvm baseline (not the first column) and the delta / %
  // columns are covered by tests/e2e/ui-compare.e2e.ts (the Compare page of branch ui2 replaced this one's).
})
