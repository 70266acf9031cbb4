/**
 * Screen 3, Timeline, end to end against the real services: capture a window of a preset run, read
 * the per-pCPU and per-vCPU views, hover for details, zoom, export the window as ftrace text and
 * Trace Event Format JSON (both checked against Perfetto's formats), and open a stored run's timeline
 * from its id.
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
  const path = await dl.path()
  return { name: dl.suggestedFilename(), text: readFileSync(path, 'utf8') }
}

/**
 * Moves the mouse over the chart until ECharts shows a tooltip of a segment whose guest task the trace
 * knows (a vCPU that ran one task through the whole window and its look-back has no task-bearing record,
 * and its tooltip says "guest task: unknown"); returns its text.
 */
async function hoverTooltip(page: Page): Promise<string> {
  const box = (await page.getByTestId('timeline-chart').boundingBox())!
  for (let fx = 0.3; fx < 0.95; fx += 0.07) {
    for (let fy = 0.1; fy < 0.7; fy += 0.1) {
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy)
      await page.waitForTimeout(60)
      const tip = page.locator('[data-testid=timeline-chart] div[style*="z-index: 9999999"]')
      if ((await tip.count()) && (await tip.first().isVisible())) {
        const text = await tip.first().innerText()
        if (/vCPU/.test(text) && /guest task: \d+/.test(text)) return text
      }
    }
  }
  return ''
}

describe('timeline', () => {
  it('shows an empty state that tells a new user what to do', async () => {
    const { page } = ctx
    await page.goto(`${ctx.harness.server.url.split('#')[0]}#/timeline`)
    await page.getByTestId('timeline-empty').waitFor()
    expect(await page.getByTestId('timeline-empty').innerText()).toMatch(/Capture window/)
    await screenshot(page, 'timeline-empty')
  })

  it('captures a window of the over-committed preset and draws the per-pCPU view', async () => {
    const { page } = ctx
    await page.getByTestId('timeline-quick').click()
    await page.getByTestId('timeline-summary').waitFor({ timeout: 120_000 })
    const counts = await page.getByTestId('timeline-counts').innerText()
    const records = Number(counts.split(' records')[0].replace(/[^0-9]/g, ''))
    expect(records).toBeGreaterThan(1000)
    expect(Number(await page.getByTestId('timeline-chart').getAttribute('data-lanes'))).toBe(80)
    await page.getByTestId('timeline-chart').locator('canvas').first().waitFor()
    expect(await page.getByTestId('timeline-legend').innerText()).toMatch(/VM vm0/)
    await screenshot(page, 'timeline-pcpu')
  })

  it('hover shows the vCPU, guest task and pCPU', async () => {
    const text = await hoverTooltip(ctx.page)
    expect(text).toMatch(/vCPU \d+/)
    expect(text).toMatch(/guest task: \d+/)
    await screenshot(ctx.page, 'timeline-hover')
  })

  it('zooms with the mouse wheel (the x range shrinks)', async () => {
    const { page } = ctx
    const before = await page.getByTestId('timeline-chart').screenshot()
    const box = (await page.getByTestId('timeline-chart').boundingBox())!
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4)
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -400)
    await page.waitForTimeout(300)
    const after = await page.getByTestId('timeline-chart').screenshot()
    expect(Buffer.compare(before, after)).not.toBe(0)
    await screenshot(page, 'timeline-zoomed')
  })

  it('jumps to a preemption inside a critical section (zoomed ±20 µs around it)', async () => {
    const { page } = ctx
    const label = page.getByTestId('timeline-jump')
    expect(await label.innerText()).toMatch(/preemption in CS – \/ [1-9]\d*/)
    const before = await page.getByTestId('timeline-chart').screenshot()
    await page.getByTestId('timeline-jump-next').click()
    await expect.poll(() => label.innerText()).toMatch(/preemption in CS 1 \/ [1-9]\d*/)
    await page.waitForTimeout(300)
    expect(Buffer.compare(before, await page.getByTestId('timeline-chart').screenshot())).not.toBe(0)
    await screenshot(page, 'timeline-cs-preemption')
  })

  it('per-vCPU view: one lane per vCPU with the Trace Compass states, filterable by VM', async () => {
    const { page } = ctx
    await page.getByTestId('timeline-view-vcpu').click()
    expect(Number(await page.getByTestId('timeline-chart').getAttribute('data-lanes'))).toBe(160)
    const states = await page.locator('[data-testid=timeline-legend] li[data-state]').evaluateAll((lis) => lis.map((l) => l.getAttribute('data-state')))
    expect(states).toEqual(['running', 'cs', 'spinning', 'preempted', 'halted'])
    await page.getByTestId('timeline-vm-1').uncheck()
    await expect.poll(() => page.getByTestId('timeline-chart').getAttribute('data-lanes')).toBe('80')
    expect(await page.getByTestId('timeline-vm-0').isChecked()).toBe(true)
    // The last shown VM cannot be hidden.
    await page.getByTestId('timeline-vm-0').click()
    expect(Number(await page.getByTestId('timeline-chart').getAttribute('data-lanes'))).toBe(80)
    expect(await page.getByTestId('timeline-vm-0').isChecked()).toBe(true)
    await page.waitForTimeout(200)
    await screenshot(page, 'timeline-vcpu')
    const text = await hoverTooltip(page)
    expect(text).toMatch(/state: /)
    // Dark theme: lanes, markers and labels stay readable.
    await page.getByTestId('theme-toggle').click()
    await page.waitForTimeout(300)
    await screenshot(page, 'timeline-vcpu-dark')
    await page.getByTestId('theme-toggle').click()
  })

  it('exports the window as ftrace text that Perfetto tokenizes', async () => {
    const { page } = ctx
    const { name, text } = await download(page, 'timeline-export-trace')
    expect(name).toMatch(/\.trace$/)
    expect(text.startsWith('# tracer: nop\n')).toBe(true)
    const lines = text.split('\n').filter((l) => l && !l.startsWith('#'))
    expect(lines.length).toBeGreaterThan(10)
    for (const l of lines) {
      const m = LINE.exec(l)
      expect(m, l).not.toBeNull()
      expect(['sched_switch', 'kvm_exit', 'sched_yield_to']).toContain(m![5])
      if (m![5] === 'sched_switch') expect(l).toMatch(/prev_comm=\S+ prev_pid=\d+ prev_prio=120 prev_state=\S+ ==> next_comm=\S+ next_pid=\d+ next_prio=120$/)
    }
    expect(await page.getByTestId('timeline-exported').innerText()).toContain(name)
  })

  it('exports Trace Event Format JSON: VMs as processes, vCPUs as threads, CS slices and markers', async () => {
    const { name, text } = await download(ctx.page, 'timeline-export-json')
    expect(name).toMatch(/\.json$/)
    const file = JSON.parse(text) as { traceEvents: { ph: string; name: string; pid: number; tid: number; dur?: number; args?: Record<string, unknown> }[]; displayTimeUnit: string }
    const ev = file.traceEvents
    expect(ev.filter((e) => e.name === 'process_name').map((e) => e.args!.name)).toEqual(['VM vm0', 'VM vm1', 'host pCPUs'])
    expect(ev.filter((e) => e.name === 'thread_name')).toHaveLength(160 + 80 + 160)
    const xs = ev.filter((e) => e.ph === 'X' && (e as { cat?: string }).cat === 'cs')
    expect(xs.length).toBeGreaterThan(100)
    expect(xs.every((e) => typeof e.args!.task === 'number' && typeof e.args!.cs === 'string' && e.dur! >= 0)).toBe(true)
    expect(ev.some((e) => e.ph === 'i')).toBe(true)
    // Only the zoomed range: around the preemption inside a critical section.
    await ctx.page.getByTestId('timeline-view-pcpu').click()
    await ctx.page.getByTestId('timeline-jump-next').click()
    await ctx.page.waitForTimeout(200)
    await ctx.page.getByTestId('timeline-export-zoomed').check()
    const zoomed = await download(ctx.page, 'timeline-export-json')
    const z = JSON.parse(zoomed.text) as { otherData: { fromNs: number; toNs: number }; traceEvents: { name: string }[] }
    expect(z.otherData.toNs - z.otherData.fromNs).toBeLessThanOrEqual(40_001)
    expect(z.traceEvents.some((e) => e.name.startsWith('preempted in critical section'))).toBe(true)
    await ctx.page.getByTestId('timeline-export-zoomed').uncheck()
    expect(ctx.pageErrors).toEqual([])
  })

  it("opens a stored run's timeline from /timeline?run=<id>", async () => {
    const { page } = ctx
    const id = await page.evaluate(async () => {
      const res = await window.api.runs.start({ source: { kind: 'preset', preset: 'quick' }, policies: ['ecs'], seeds: [7] })
      const rid = res.runIds[0]
      for (let i = 0; i < 300; i++) {
        const d = await window.api.runs.get(rid)
        if (d.status === 'done') return rid
        await new Promise((r) => setTimeout(r, 100))
      }
      return rid
    })
    await page.goto(`${ctx.harness.server.url.split('#')[0]}#/timeline?run=${id}`)
    await expect.poll(async () => (await page.getByTestId('timeline-summary').count()) > 0 && (await page.getByTestId('timeline-summary').innerText()).includes('ecs'), { timeout: 60_000 }).toBe(true)
    expect(await page.getByTestId('timeline-summary').innerText()).toMatch(/seed 7/)
    await screenshot(page, 'timeline-stored-run')
    // A bad window gives a readable message, not a blank screen.
    await page.getByTestId('timeline-width').fill('500')
    await page.getByTestId('timeline-capture').click()
    await expect.poll(() => page.getByTestId('timeline-error').innerText()).toMatch(/window width must be between 0 and 100 ms/)
    // And the form's own button captures again with a valid width.
    await page.getByTestId('timeline-width').fill('0.5')
    await page.getByTestId('timeline-capture').click()
    await page.getByTestId('timeline-error').waitFor({ state: 'detached' })
    const span = async () => {
      const m = /([\d.]+) ms – ([\d.]+) ms/.exec(await page.getByTestId('timeline-summary').innerText())
      return m ? Math.round((Number(m[2]) - Number(m[1])) * 1000) / 1000 : null
    }
    await expect.poll(span, { timeout: 60_000 }).toBe(0.5)
    expect(await page.getByTestId('timeline-summary').innerText()).toContain('seed 7')
  })
})
