/**
 * Issue 14 probe 8 in Chromium: a VM name and a run label carrying `<b>` and `<img>` reach the run
 * page's throughput chart; hovering a bar shows the tooltip with those strings as text, and no element
 * is created from them (the CSP stops scripts, not markup: the escaping has to).
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

const VM = '<b>bold</b><img src=x data-injected=1>'

describe('user strings in chart tooltips', () => {
  it('a VM name with <b> and <img> shows as text in the throughput tooltip', async () => {
    const { page, harness } = ctx
    const handlers = harness.services.handlers
    const started = await handlers['runs:start']({
      source: { kind: 'scenario', label: '<i>label</i>', scenario: { preset: 'quick', durationNs: 20_000_000, vms: [{ name: VM }, { name: 'plain' }] } },
      policies: ['kvm'], seeds: [1], tags: [], note: '', force: false
    })
    const id = started.runIds[0]!
    const deadline = Date.now() + 120_000
    while ((await handlers['runs:get'](id)).status !== 'done') {
      if (Date.now() > deadline) throw new Error('run did not finish')
      await new Promise((r) => setTimeout(r, 200))
    }
    await page.goto(`${harness.server.url.split('#')[0]}#/run?runs=${id}&label=x`)
    const chart = page.getByTestId('chart-throughput')
    await chart.locator('canvas').first().waitFor({ timeout: 60_000 })
    // the results start lower on the page now (notices, context lines): hover only works inside the viewport
    await chart.scrollIntoViewIfNeeded()
    const box = (await chart.locator('canvas').first().boundingBox())!
    let html = ''
    let text = ''
    for (let fx = 0.1; fx < 0.95 && !text.includes('bold'); fx += 0.04) {
      for (let fy = 0.3; fy < 0.9 && !text.includes('bold'); fy += 0.1) {
        await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy)
        await page.waitForTimeout(50)
        const tip = chart.locator('div[style*="z-index: 9999999"]')
        if ((await tip.count()) && (await tip.first().isVisible())) {
          text = await tip.first().innerText()
          html = await tip.first().innerHTML()
        }
      }
    }
    await screenshot(page, 'markup-names-tooltip')
    expect(text).toContain('<b>bold</b><img src=x data-injected=1>')
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;&lt;img')
    expect(await page.locator('img[data-injected]').count()).toBe(0)
    expect(await chart.locator('b').count()).toBe(0)
  })
})
