/**
 * The first vertical slice, end to end: presets come from src/sim through the main-side service and
 * the typed contract into the page, and a real simulation runs in a worker and its result comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listPresets } from '../../src/sim'
import { openApp, screenshot, type E2eContext } from './browser'

let ctx: E2eContext
// The start page lists recent runs and layouts: keep the test away from the user's own lab database.
const dir = mkdtempSync(join(tmpdir(), 'ecs-foundation-'))

beforeAll(async () => {
  process.env.ECS_LAB_DB = join(dir, 'lab.sqlite')
  ctx = await openApp()
})

afterAll(async () => {
  await ctx?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('foundation slice', () => {
  it('lists the scenario and workload presets that src/sim defines', async () => {
    const { page } = ctx
    const catalog = listPresets()
    await page.getByTestId('scenario-presets').waitFor()
    const ids = await page.locator('[data-testid=scenario-presets] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-preset')))
    expect(ids).toEqual(catalog.scenarios.map((s) => s.id))
    expect(ids).toContain('undercommit-1x')
    expect(ids).toContain('overcommit-2x')
    const workloads = await page.locator('[data-testid=workload-presets] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-workload')))
    expect(workloads).toEqual(catalog.workloads.map((w) => w.id))
    expect(workloads).toContain('cpu-bound')
  })

  it('runs a real simulation in a worker and shows its result', async () => {
    const { page } = ctx
    await page.getByTestId('quick-run').click()
    await page.getByTestId('quick-result').waitFor({ timeout: 60_000 })
    const events = Number((await page.getByTestId('result-events').innerText()).replace(/,/g, ''))
    expect(events).toBeGreaterThan(1000)
    expect(await page.getByTestId('result-policy').innerText()).toBe('kvm')
    const shot = await screenshot(page, 'foundation-quick-run')
    expect(existsSync(shot)).toBe(true)
    expect(ctx.pageErrors).toEqual([])
  })

  it('the API rejects calls without the access token', async () => {
    const res = await fetch(`${ctx.harness.server.origin}/__ecs/rpc/presets%3Alist`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ctx.harness.server.origin },
      body: '[]'
    })
    expect(res.status).toBe(401)
  })

  it('a malformed call gets a readable validation error naming the argument', async () => {
    const { page } = ctx
    const message = await page.evaluate(async () => {
      try {
        // @ts-expect-error deliberately wrong argument type
        await window.api.sim.runQuick({ preset: 42 })
        return 'no error'
      } catch (err) {
        return (err as Error).message
      }
    })
    expect(message).toMatch(/sim:runQuick: invalid arguments: args\.0\.preset/)
  })
})
