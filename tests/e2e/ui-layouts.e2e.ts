/**
 * Screen 1, the layout designer: host and VM editing with inline schema validation, pinning and the
 * host picture, custom workload profiles, save / versions / duplicate / delete, JSON export and
 * import, and the dark theme.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openApp, screenshot, type E2eContext } from './browser'

let ctx: E2eContext
const dir = mkdtempSync(join(tmpdir(), 'ecs-ui-layouts-'))

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

describe('layout designer', () => {
  it('starts with an empty state that says what to do', async () => {
    const { page } = ctx
    await page.getByTestId('nav-layouts').click()
    await page.getByTestId('layouts-empty').waitFor()
  })

  it('edits host and VMs with live commit ratio, pinning, custom profiles and inline validation', async () => {
    const { page } = ctx
    await page.getByTestId('layout-new').click()
    await page.getByTestId('layout-editor').waitFor()
    await page.getByTestId('layout-name').fill('pinned mix')
    await page.getByTestId('input-host.pcpus').fill('8')
    // sockets must divide the pCPUs (a cross-field rule of the engine)
    await page.getByTestId('field-host.sockets').locator('input').fill('3')
    await page.getByTestId('error-host.sockets').waitFor()
    await page.getByTestId('field-host.sockets').locator('input').fill('2')
    await page.getByTestId('error-host.sockets').waitFor({ state: 'detached' })
    // a third VM: 4 + 8 + 8... then remove it again
    await page.getByTestId('vm-add').click()
    await page.getByTestId('layout-vm-2').waitFor()
    await expect.poll(() => page.getByTestId('commit-ratio').getAttribute('data-ratio')).toBe('2.5')
    await page.getByTestId('vm-remove-2').click()
    await expect.poll(() => page.getByTestId('commit-ratio').getAttribute('data-ratio')).toBe('2')
    await page.getByTestId('vm-duplicate-0').click()
    await expect.poll(() => page.getByTestId('commit-ratio').getAttribute('data-ratio')).toBe('3')
    await page.getByTestId('vm-remove-1').click()
    // pin VM 0 onto pCPUs 0..3 twice over (2 vCPUs per pCPU)
    await page.getByTestId('input-vms.0.pinned').check()
    await page.getByTestId('input-vms.0.pinning').fill('0, 1, 2, 3, 0, 1, 2, 99')
    await page.getByTestId('input-vms.0.pinning').press('Tab')
    await expect.poll(() => page.getByTestId('error-vms.0.pinning').innerText()).toMatch(/99 is outside the host/)
    await page.getByTestId('input-vms.0.pinning').fill('0, 1, 2, 3, 0, 1, 2, 3')
    await page.getByTestId('input-vms.0.pinning').press('Tab')
    await page.getByTestId('error-vms.0.pinning').waitFor({ state: 'detached' })
    // custom workload profile: a schema error inside the profile is shown next to it
    await page.getByTestId('input-vms.1.workloadMode').selectOption('custom')
    const json = page.getByTestId('input-vms.1.workloadJson')
    await json.fill(JSON.stringify({ tasksPerVcpu: 0, sections: [{ kind: 'spinlock', instances: 2 }] }))
    await expect.poll(() => page.getByTestId('error-vms.1.workload.json').innerText()).toMatch(/tasksPerVcpu/)
    await json.fill(JSON.stringify({ tasksPerVcpu: 2, sections: [{ kind: 'spinlock', instances: 2, holdNs: { type: 'exp', meanNs: 3000 } }] }, null, 2))
    await page.getByTestId('error-vms.1.workload.json').waitFor({ state: 'detached' })
    await page.getByTestId('input-durationNs').fill('10')
    expect(await page.getByTestId('layout-validity').innerText()).toContain('valid')
    await page.getByTestId('layout-save').click()
    await page.getByTestId('layout-list').getByText('pinned mix').waitFor()
    await screenshot(page, 'ui-layout-pinned-custom')
  })

  it('saves versions, duplicates and exports / imports JSON', async () => {
    const { page } = ctx
    await page.getByTestId('input-host.pcpus').fill('16')
    await page.getByTestId('layout-save').click()
    await page.getByTestId('layout-version').waitFor()
    const versions = await page.getByTestId('layout-version').locator('option').count()
    expect(versions).toBe(2)
    await page.getByTestId('layout-version').selectOption('1')
    await expect.poll(() => page.getByTestId('input-host.pcpus').inputValue()).toBe('8')

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('layout-export').click()])
    const file = join(dir, download.suggestedFilename())
    await download.saveAs(file)
    const exported = JSON.parse(readFileSync(file, 'utf8'))
    expect(exported.format).toBe('ecs-lab-layout')
    expect(exported.scenario.vms[0].pinning).toEqual([0, 1, 2, 3, 0, 1, 2, 3])

    await page.getByTestId('layout-import-file').setInputFiles(file)
    await expect.poll(() => page.getByTestId('layout-name').inputValue()).toBe('pinned mix')
    await page.getByTestId('layout-name').fill('pinned mix (imported)')
    await page.getByTestId('layout-save').click()
    await page.getByTestId('layout-list').getByText('pinned mix (imported)').waitFor()

    await page.getByTestId('layout-list').locator('li[data-layout="pinned mix"] button[title="Duplicate"]').click()
    await page.getByTestId('layout-list').getByText('pinned mix (copy)').waitFor()
    expect(await page.getByTestId('layout-list').locator('li').count()).toBe(3)
  })

  it('deletes a layout after confirmation', async () => {
    const { page } = ctx
    await page.getByTestId('layout-delete-pinned mix (copy)').click()
    await page.getByTestId('confirm-dialog').waitFor()
    await screenshot(page, 'ui-layout-delete-confirm')
    await page.getByTestId('confirm-ok').click()
    await expect.poll(() => page.getByTestId('layout-list').locator('li').count()).toBe(2)
  })

  it('switches to the dark theme and remembers it', async () => {
    const { page } = ctx
    await page.getByTestId('layout-list').getByText('pinned mix', { exact: true }).click()
    await page.getByTestId('theme-toggle').click()
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await screenshot(page, 'ui-layout-dark')
    await page.reload()
    await page.getByTestId('layout-editor').waitFor()
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await page.getByTestId('theme-toggle').click()
    expect(ctx.pageErrors).toEqual([])
  })
})
