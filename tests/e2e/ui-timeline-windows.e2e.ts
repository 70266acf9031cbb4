/**
 * Issue 15, item 1 (timeline windows), end to end in Chromium: a window past the warm-up can be
 * captured (typing "from" used to throw `v.trim is not a function` and snap back to the warm-up end);
 * the per-pCPU view of a fully busy over-committed host is drawn edge to edge (vCPUs running through
 * the whole window used to be left white and called "idle"); a window wider than the trace buffer
 * shows "no data" where the buffer filled, with a guard that says how long a window fits; the
 * Perfetto exports carry CPU tracks, per-vCPU run / runnable / halted states, named locks, and
 * kvm_exit / PLE / yield events in the ftrace text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { openApp, screenshot, type E2eContext } from './browser'

let ctx: E2eContext

beforeAll(async () => {
  ctx = await openApp()
})

afterAll(async () => {
  await ctx?.close()
})

/** Perfetto's systrace line regex (src/trace_processor/importers/systrace/systrace_line_tokenizer.cc). */
const LINE = /-(\d+)\s+\(?\s*(\d+|-+)?\)?\s?\[(\d+)\]\s*[a-zA-Z0-9.]{0,4}\s+(\d+\.\d+):\s+(\S+):/

async function download(page: Page, testid: string): Promise<{ name: string; text: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()])
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') }
}

/**
 * Share of the plot's lane pixels (the grid: 90 px left, 20 or 44 right, 12 top, 64 bottom, as in
 * useTimelineOption) that are painted, read from the chart's canvas; `grey` counts only the no-data grey.
 */
async function paintedShare(page: Page, part: { x0: number; x1: number }, grey = false): Promise<number> {
  // ECharts draws progressive series on layers of their own: look at every canvas of the chart.
  return page.getByTestId('timeline-chart').evaluate((el: HTMLElement, arg) => {
    const canvases = [...el.querySelectorAll('canvas')]
    const c0 = canvases[0]
    const dpr = c0.width / c0.clientWidth
    const left = 90 * dpr
    const right = c0.width - 44 * dpr
    const top = 12 * dpr
    const bottom = c0.height - 64 * dpr
    const x0 = Math.round(left + (right - left) * arg.part.x0)
    const x1 = Math.round(left + (right - left) * arg.part.x1)
    const layers = canvases.map((c) => c.getContext('2d')!.getImageData(x0, Math.round(top), x1 - x0, Math.round(bottom - top)).data)
    let n = 0
    let hit = 0
    for (let i = 0; i < layers[0].length; i += 4 * 7) {
      n++
      const painted = layers.some((img) => {
        const [r, g, b, a] = [img[i], img[i + 1], img[i + 2], img[i + 3]]
        if (a < 40) return false
        const isGrey = Math.abs(r - g) < 12 && Math.abs(g - b) < 12
        return arg.grey ? isGrey && r > 120 && r < 220 : !isGrey
      })
      if (painted) hit++
    }
    return hit / n
  }, { part, grey })
}

/** paintedShare once ECharts' progressive rendering has finished (two reads 300 ms apart agree). */
async function settledShare(page: Page, part: { x0: number; x1: number }, grey = false): Promise<number> {
  let last = -1
  for (let i = 0; i < 60; i++) {
    const v = await paintedShare(page, part, grey)
    if (v === last) return v
    last = v
    await page.waitForTimeout(300)
  }
  return last
}

describe('timeline windows (issue 15, item 1)', () => {
  it('captures a window past the warm-up that the user types (from = 50 ms, width = 2 ms)', async () => {
    const { page } = ctx
    await page.goto(`${ctx.harness.server.url.split('#')[0]}#/timeline`)
    await page.getByTestId('timeline-source-preset').check()
    await page.getByTestId('timeline-preset').selectOption('overcommit-2x')
    await page.getByTestId('timeline-policy').selectOption('kvm')
    await page.getByTestId('timeline-from').fill('50')
    await page.getByTestId('timeline-width').fill('2')
    await page.getByTestId('timeline-capture').click()
    await expect.poll(async () => (await page.getByTestId('timeline-summary').count()) > 0 && (await page.getByTestId('timeline-summary').innerText()), { timeout: 120_000 }).toMatch(/50\.000 ms – 52\.000 ms/)
    expect(await page.getByTestId('timeline-from').inputValue()).toBe('50')
    expect(ctx.pageErrors.filter((e) => /trim/.test(e))).toEqual([])
    await page.getByTestId('timeline-chart').locator('canvas').first().waitFor()
    await page.waitForTimeout(400)
    await screenshot(page, 'issue15-timeline-50ms')
  })

  it('draws every lane from the window start: vCPUs that run through the window are not left white', async () => {
    const { page } = ctx
    // overcommit-2x: 160 vCPUs on 80 pCPUs; many lanes have no switch for a long stretch of the window.
    const share = await settledShare(page, { x0: 0.02, x1: 0.98 })
    expect(share).toBeGreaterThan(0.6)
    expect(await page.getByTestId('timeline-legend').innerText()).not.toMatch(/^idle$/m)
    await page.getByTestId('timeline-view-vcpu').click()
    await page.waitForTimeout(400)
    // every vCPU lane has a state from the first pixel on
    expect(await settledShare(page, { x0: 0.0, x1: 0.03 }, false) + (await settledShare(page, { x0: 0.0, x1: 0.03 }, true))).toBeGreaterThan(0.6)
    await screenshot(page, 'issue15-timeline-vcpu-50ms')
    await page.getByTestId('timeline-view-pcpu').click()
  })

  it('exports CPU tracks, vCPU states, named locks (TEF) and kvm_exit / PLE / yield events (ftrace)', async () => {
    const { page } = ctx
    const tef = JSON.parse((await download(page, 'timeline-export-json')).text) as { traceEvents: { ph: string; name: string; cat?: string; pid: number; tid: number; args?: Record<string, unknown> }[] }
    const ev = tef.traceEvents
    expect(ev.filter((e) => e.name === 'thread_name' && /^pCPU \d+$/.test(String(e.args!.name)))).toHaveLength(80)
    const cpuSlices = ev.filter((e) => e.cat === 'pcpu')
    expect(new Set(cpuSlices.map((e) => e.tid)).size).toBeGreaterThan(70)
    const states = new Set(ev.filter((e) => e.cat === 'vcpu-state').map((e) => e.name))
    expect([...states]).toEqual(expect.arrayContaining(['running', 'runnable (preempted)']))
    // named locks: critical sections carry the lock's name
    const cs = ev.filter((e) => e.cat === 'cs' && e.ph === 'X')
    expect(cs.length).toBeGreaterThan(10)
    expect(cs.filter((e) => typeof e.args!.lock === 'string').length / cs.length).toBeGreaterThan(0.5)
    const { text } = await download(page, 'timeline-export-trace')
    const lines = text.split('\n').filter((l) => l && !l.startsWith('#'))
    const events = lines.map((l) => LINE.exec(l)?.[5])
    expect(events.every(Boolean)).toBe(true)
    expect(events).toContain('sched_switch')
    expect(lines.some((l) => / kvm_exit: reason PAUSE_INSTRUCTION /.test(l))).toBe(true)
    expect(lines.some((l) => / kvm_exit: reason HLT /.test(l)) || lines.some((l) => / sched_yield_to: /.test(l))).toBe(true)
  })

  it('a window wider than the buffer shows "no data" where it filled, and says how long a window fits', async () => {
    const { page } = ctx
    await page.getByTestId('timeline-from').fill('50')
    await page.getByTestId('timeline-width').fill('20')
    // the guard, from the last capture's record rate: 20 ms does not fit
    await expect.poll(() => page.getByTestId('timeline-fit').innerText()).toMatch(/too wide: about [\d.]+ ms fit/)
    await page.getByTestId('timeline-capture').click()
    await expect.poll(async () => (await page.getByTestId('timeline-summary').innerText()), { timeout: 180_000 }).toMatch(/50\.000 ms – 70\.000 ms/)
    const full = await page.getByTestId('timeline-full').innerText()
    expect(full).toMatch(/filled at [\d.]+ ms: [\d.]+ ms at the end have no data/)
    expect(full).toMatch(/About [\d.]+ ms of this run fit in one window/)
    expect(await page.getByTestId('timeline-legend-nodata').isVisible()).toBe(true)
    // the last part of the window is the no-data hatching on every lane, not solid slices
    expect(await settledShare(page, { x0: 0.9, x1: 0.99 }, true)).toBeGreaterThan(0.3)
    expect(await settledShare(page, { x0: 0.9, x1: 0.99 })).toBeLessThan(0.02)
    await screenshot(page, 'issue15-timeline-no-data')
    expect(ctx.pageErrors).toEqual([])
  })
})
