/**
 * Issue 15, item 3: a stored run's identity never changes by reuse. A first batch (tag "paper", a note)
 * runs kvm vs ecs; a later batch with other tags reuses those runs: the reused runs keep their tags and
 * note (the page says so and offers to add the new tags, which adds and never replaces). Auto-names
 * carry the host size, and Saved runs and Compare show a host column.
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

async function runBatch(tags: string, note: string, policies: string): Promise<void> {
  const { page } = ctx
  await page.goto(`${ctx.harness.server.url.split('#')[0]}#/run?preset=quick&policies=${policies}&seeds=1`)
  await page.getByTestId('run-tags').fill(tags)
  await page.getByTestId('run-note').fill(note)
  await page.getByTestId('run-start').click()
  await page.getByTestId('run-results').waitFor({ timeout: 150_000 })
}

const runsByTag = (tag: string) => ctx.page.evaluate(async (t) => (await window.api.runs.list({ tags: [t], limit: 100, sort: 'created-desc', offset: 0 })).rows, tag)

describe('run identity (issue 15, item 3)', () => {
  it('a later batch that reuses stored runs does not retag them or replace their note', async () => {
    await runBatch('paper', 'the paper comparison', 'kvm,ecs')
    const paper = await runsByTag('paper')
    expect(paper).toHaveLength(2)
    await runBatch('review', 'a later review', 'kvm,ecs,ecs-alternate')
    const { page } = ctx
    expect(await page.getByTestId('batch-existing').innerText()).toMatch(/2 of these runs were already in the store: they keep their own name, tags and note/)
    await screenshot(page, 'issue15-run-identity-batch')
    // the paper runs are untouched; only the new run carries the review batch's tag and note
    for (const r of await runsByTag('paper')) {
      expect(r.tags).toEqual(['paper'])
      expect(r.note).toBe('the paper comparison')
    }
    const review = await runsByTag('review')
    expect(review.map((r) => r.policy)).toEqual(['ecs-alternate'])
    expect(review[0].note).toBe('a later review')
    // adding the tags is the user's explicit choice, and adds (never replaces)
    await page.getByTestId('batch-add-tags').click()
    await page.getByTestId('batch-tags-added').waitFor()
    for (const r of await runsByTag('paper')) {
      expect(r.tags).toEqual(['paper', 'review'])
      expect(r.note).toBe('the paper comparison')
    }
  })

  it('auto-names carry the host size; Saved runs and Compare have a host column', async () => {
    const { page } = ctx
    const rows = await runsByTag('paper')
    // quick: 4 pCPUs, two VMs of 4 vCPUs
    for (const r of rows) expect(r.label).toMatch(/· 4 pCPUs · 2×4 vCPUs$/)
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('runs-table').waitFor()
    const hosts = await page.getByTestId('runs-host').allInnerTexts()
    expect(hosts.length).toBeGreaterThanOrEqual(3)
    expect(hosts.every((h) => h === '4 pCPUs · 2×4 vCPUs')).toBe(true)
    await screenshot(page, 'issue15-saved-runs-host')
    await page.goto(`${ctx.harness.server.url.split('#')[0]}#/compare?runs=${rows.map((r) => r.id).join(',')}`)
    await page.getByTestId('param-diff').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('compare-host').allInnerTexts()).toEqual(['4 pCPUs · 2×4 vCPUs', '4 pCPUs · 2×4 vCPUs'])
    await screenshot(page, 'issue15-compare-host')
    expect(ctx.pageErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([])
  })
})
