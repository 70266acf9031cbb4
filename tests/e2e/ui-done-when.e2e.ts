/**
 * Issue 6 "Done when": a new user designs a two-VM over-committed layout, runs the baseline against
 * eCS, sees the ratio and the preemption breakdown, finds the run again in the saved runs and exports
 * its figure as SVG and PNG. Tiny host (4 pCPUs) and 20 ms simulated so the test stays short.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listPresets } from '../../src/sim'
import type { Page } from 'playwright-core'
import { openApp, screenshot, SCREENSHOT_DIR, type E2eContext } from './browser'

let ctx: E2eContext
const dir = mkdtempSync(join(tmpdir(), 'ecs-ui-done-'))
const LAYOUT = 'two VMs over-committed'

beforeAll(async () => {
  process.env.ECS_LAB_DB = join(dir, 'lab.sqlite')
  ctx = await openApp()
  // the machine may be busy (2 cores shared with simulation workers): be patient, not flaky
  ctx.page.setDefaultTimeout(90_000)
  vi.setConfig({ expect: { poll: { timeout: 30_000, interval: 100 } } })
})

afterAll(async () => {
  await ctx?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The eCS policy when the engine has it; until then the other non-baseline policy stands in. */
function comparedPolicy(): string {
  const ids = listPresets().policies.map((p) => p.id)
  return ids.includes('ecs') ? 'ecs' : ids.find((p) => p !== 'kvm')!
}

describe('done when: design, run baseline vs eCS, find, export', () => {
  it('a new user sees what to do first', async () => {
    const { page } = ctx
    await page.getByTestId('getting-started').waitFor()
    await page.getByTestId('paper-example').waitFor()
    await screenshot(page, 'ui-home-empty')
  })

  it('designs a two-VM over-committed layout with live commit ratio and inline validation', async () => {
    const { page } = ctx
    await page.getByTestId('start-design').click()
    await page.getByTestId('layout-editor').waitFor()
    await page.getByTestId('layout-name').fill(LAYOUT)
    await page.getByTestId('input-host.pcpus').fill('4')
    await page.getByTestId('input-vms.0.vcpus').fill('4')
    await page.getByTestId('input-vms.1.vcpus').fill('0')
    // the shared schema's message appears next to the field
    await expect.poll(() => page.getByTestId('error-vms.1.vcpus').innerText()).toMatch(/>=\s*1/)
    await page.getByTestId('input-vms.1.vcpus').fill('4')
    await page.getByTestId('error-vms.1.vcpus').waitFor({ state: 'detached' })
    await page.getByTestId('input-durationNs').fill('20')
    await expect.poll(() => page.getByTestId('commit-ratio').getAttribute('data-ratio')).toBe('2')
    expect(await page.getByTestId('commit-label').innerText()).toBe('over-committed')
    expect(await page.getByTestId('pcpu').count()).toBe(4)
    expect(await page.getByTestId('layout-validity').innerText()).toContain('valid')
    await page.getByTestId('layout-save').click()
    await page.waitForURL(/#\/layouts\/[^/n][^/]*$/)
    await page.getByTestId('layout-list').getByText(LAYOUT).waitFor()
    await screenshot(page, 'ui-layout-designer')
  })

  it('runs the baseline against eCS with live progress and shows the ratio and preemption breakdown', async () => {
    const { page } = ctx
    await page.getByTestId('layout-run').click()
    await page.getByTestId('run-setup').waitFor()
    const other = comparedPolicy()
    await page.getByTestId('policy-kvm').check()
    await page.getByTestId(`policy-${other}`).check()
    await page.getByTestId('run-seeds').fill('2')
    await page.getByTestId('run-tags').fill('e2e done-when')
    await page.getByTestId('run-start').click()
    await page.getByTestId('run-progress').waitFor()
    expect(await page.getByTestId('run-progress-row').count()).toBe(4)
    await page.getByTestId('run-results').waitFor({ timeout: 120_000 })
    await page.getByTestId('result-ratio').waitFor()
    const ratio = Number(await page.getByTestId('result-ratio').getAttribute('data-ratio'))
    expect(ratio).toBeGreaterThan(0)
    const rows = await page.locator('[data-testid=preemption-breakdown] tbody tr').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-policy')))
    expect(rows).toEqual(['kvm', other])
    await page.getByTestId('chart-preemptions').locator('canvas').first().waitFor()
    await screenshot(page, 'ui-run-results')
  })

  it('finds the runs again in the saved runs', async () => {
    const { page } = ctx
    await page.getByTestId('open-saved-runs').click()
    await page.getByTestId('runs-table').waitFor()
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(4)
    const labels = await page.getByTestId('runs-row').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-label')))
    // auto-names carry the layout and its host size (issue 15)
    expect(new Set(labels).size).toBe(1)
    expect(labels[0]).toMatch(/^two VMs over-committed · \d+ pCPUs · \d+×\d+ vCPUs$/)
    await screenshot(page, 'ui-saved-runs')
  })

  it('opens the found runs and exports the throughput figure as SVG and PNG', async () => {
    const { page } = ctx
    await page.getByRole('checkbox', { name: 'Select all' }).check()
    await page.getByTestId('runs-open-selected').click()
    await page.getByTestId('run-results').waitFor({ timeout: 60_000 })
    await page.getByTestId('result-ratio').waitFor()
    const menu = page.getByTestId('chart-throughput-export')
    await menu.getByTestId('export-toggle').click()
    const svg = await download(page, () => menu.getByTestId('export-svg').click())
    expect(svg.name).toMatch(/\.svg$/)
    const svgText = svg.bytes.toString('utf8')
    expect(svgText).toMatch(/<svg[\s>]/)
    expect(svgText).toContain(comparedPolicy())
    writeFileSync(join(SCREENSHOT_DIR, 'ui-done-when-throughput.svg'), svg.bytes)
    const png = await download(page, () => menu.getByTestId('export-png').click())
    expect(png.name).toMatch(/\.png$/)
    expect(png.bytes.subarray(1, 4).toString('ascii')).toBe('PNG')
    writeFileSync(join(SCREENSHOT_DIR, 'ui-done-when-throughput.png'), png.bytes)
    // the preemption breakdown exports too
    const pre = page.getByTestId('chart-preemptions-export')
    await pre.getByTestId('export-toggle').click()
    const preSvg = await download(page, () => pre.getByTestId('export-svg').click())
    expect(preSvg.bytes.toString('utf8')).toMatch(/<svg[\s>]/)
    await screenshot(page, 'ui-done-when-export')
    expect(ctx.pageErrors).toEqual([])
  })
})

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), click()])
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) }
}
