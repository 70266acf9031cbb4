/**
 * Issue 14 probes 8 and 9 below the browser: user strings are escaped in chart tooltips (one helper),
 * JSON nesting is capped before parsing, and the campaign summary's "runs in this store" counts the
 * whole store. The layout import's range check is in src/renderer/src/stores/layout-import.test.ts.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { escapeHtml } from '../../../src/shared/html'
import { assertTextDepth, assertValueDepth } from '../../../src/shared/json-depth'
import { throughputFigure } from '../../../src/shared/charts/builders'
import { figureStyle } from '../../../src/shared/charts/style'
import { compareMetricsOption } from '../../../src/renderer/src/charts/compare-metrics'
import { parseCampaignText } from '../../../src/main/services/campaign-plan'
import { runCli } from '../store/cli-helpers'
import { tempDir, tinyCampaign } from '../store/helpers'

const HOSTILE = '<img src=x onerror=alert(1)><b>vm</b>&"\''

describe('escapeHtml and the tooltip formatters', () => {
  it('escapes every markup character', () => {
    expect(escapeHtml(HOSTILE)).toBe('&lt;img src=x onerror=alert(1)&gt;&lt;b&gt;vm&lt;/b&gt;&amp;&quot;&#39;')
    expect(escapeHtml(undefined)).toBe('')
  })

  it('figure tooltips (shared builders) escape VM names and policy labels', () => {
    const fig = throughputFigure({ vms: [HOSTILE], policies: [`${HOSTILE}-policy`], cells: [{ vm: HOSTILE, policy: `${HOSTILE}-policy`, mean: 1 }] }, figureStyle('screen-light'))
    const fmt = (fig.option.tooltip as { formatter: (p: unknown) => string }).formatter
    const html = fmt({ seriesName: `${HOSTILE}-policy`, value: [0, 1, null, null] })
    expect(html).not.toMatch(/<img|<b>/)
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;b&gt;vm&lt;/b&gt;')
  })

  it('app chart tooltips escape run labels and metric names', () => {
    const opt = compareMetricsOption([{ id: 'a', label: HOSTILE, metrics: { [HOSTILE]: 1 } }], [HOSTILE])
    const fmt = (opt.tooltip as { formatter: (p: unknown) => string }).formatter
    const html = fmt([{ axisValue: HOSTILE, seriesIndex: 0, marker: '<span class="m"></span>', seriesName: HOSTILE }])
    // only the marker ECharts itself builds stays markup
    expect(html.replace('<span class="m"></span>', '').replace(/<br\/>/g, '')).not.toMatch(/</)
  })
})

describe('nesting caps', () => {
  it('reject deep text and deep values with the limit, without a stack overflow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    expect(() => assertTextDepth(deep, 'x.json')).toThrow('x.json: nested deeper than 64 levels')
    expect(() => assertTextDepth('{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', 'x')).not.toThrow()
    let v: unknown = 1
    for (let i = 0; i < 100_000; i++) v = [v]
    expect(() => assertValueDepth(v, 'runs:start: arguments')).toThrow('runs:start: arguments: nested deeper than 64 levels')
  })

  it('a campaign file nested thousands deep is a clear campaign error', () => {
    expect(() => parseCampaignText(`name: x\nsweep: { a: ${'['.repeat(5000)}${']'.repeat(5000)} }\n`, 'deep.yaml')).toThrow(/deep\.yaml: .*campaign: nested deeper than 64 levels/s)
  })

  it('ecs-lab run with a scenario file nested thousands deep fails with the limit', async () => {
    const t = tempDir('ecs-deep-')
    try {
      const file = join(t.dir, 'deep.json')
      writeFileSync(file, `{"preset":"quick","x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`)
      const r = await runCli(['run', file])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('deep.json: nested deeper than 64 levels')
      expect(r.stderr).not.toMatch(/call stack/)
    } finally {
      t.cleanup()
    }
  })
})

describe('campaign summary', () => {
  it('"runs in this store" counts every run of the store, not only this campaign', async () => {
    const t = tempDir('ecs-summary-')
    try {
      const db = join(t.dir, 's.sqlite')
      const a = join(t.dir, 'a.yaml')
      const b = join(t.dir, 'b.yaml')
      writeFileSync(a, tinyCampaign({ name: 'a', seeds: 1, policies: ['kvm'] }))
      writeFileSync(b, tinyCampaign({ name: 'b', seeds: 2, policies: ['kvm-nople'] }))
      expect((await runCli(['campaign', 'run', a, '--db', db, '--workers', '1', '--no-progress'])).code).toBe(0)
      const r = await runCli(['campaign', 'run', b, '--db', db, '--workers', '1', '--no-progress'])
      expect(r.code).toBe(0)
      expect(r.stderr).toMatch(/runs in this store: 3 \(3 done/)
    } finally {
      t.cleanup()
    }
  })
})
