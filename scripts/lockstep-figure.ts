/**
 * `npx tsx scripts/lockstep-figure.ts [OUTDIR]` (default docs/figures): the figures of the co-scheduling
 * check of issue 11 in docs/VALIDATION.md, from the simulator (engine at this commit):
 *  - lockstep-zero-samples.svg/.csv: share of 1-ms samples in which a VM of the `quick` layout (4 pCPUs,
 *    2 VMs x 4 vCPUs) did no op, in-phase start vs the default staggered start, against independent
 *    per-pCPU scheduling (src/sim/analysis/coscheduling.ts), 20 seeds pooled, for CPU-bound guests and
 *    for the preset's own spinlock-heavy workload;
 *  - lockstep-series.svg/.csv: ops per 1-ms sample of both VMs (cpu-bound, seed 1) in both start modes.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { resolveScenario, runScenario } from '../src/sim/index'
import { zeroSampleShare } from '../src/sim/analysis/coscheduling'
import { renderSvg } from '../src/main/services/figures'

async function main(): Promise<void> {
  const out = process.argv[2] ?? 'docs/figures'
  mkdirSync(out, { recursive: true })
  const modes = ['in-phase', 'staggered'] as const
  const workloads = ['cpu-bound', 'spinlock-heavy'] as const
  const run = (mode: (typeof modes)[number], workload: string, seed: number) => {
    const s = resolveScenario({ preset: 'quick', seed, start: { mode }, vms: [{ name: 'vm0', vcpus: 4, workload }, { name: 'vm1', vcpus: 4, workload }] })
    return { r: runScenario(s), warmupNs: s.warmupNs }
  }

  const rows: { workload: string; mode: string; share: number; bound: number; n: number }[] = []
  for (const w of workloads) for (const m of modes) {
    const z = zeroSampleShare(Array.from({ length: 20 }, (_, i) => run(m, w, i + 1)))
    rows.push({ workload: w, mode: m, ...z })
  }
  const pct = (x: number) => Math.round(x * 1000) / 10
  writeFileSync(join(out, 'lockstep-zero-samples.csv'), ['workload,start,zero_op_sample_pct,independent_bound_pct,samples', ...rows.map((r) => `${r.workload},${r.mode},${pct(r.share)},${pct(r.bound)},${r.n}`)].join('\n') + '\n')
  const cats = rows.map((r) => `${r.workload}\n${r.mode}`)
  const font = { fontFamily: 'DejaVu Sans, sans-serif', fontSize: 11 }
  const bars = {
    animation: false, textStyle: font,
    title: { text: 'VM-samples (1 ms) with zero ops, quick layout, 20 seeds', textStyle: { fontSize: 12 }, left: 'center' },
    legend: { top: 30 }, grid: { left: 50, right: 15, top: 70, bottom: 45 },
    xAxis: { type: 'category', data: cats }, yAxis: { type: 'value', name: '%', max: 25 },
    series: [
      { name: 'simulated', type: 'bar', data: rows.map((r) => pct(r.share)), itemStyle: { color: '#4477aa' }, label: { show: true, position: 'top', formatter: '{c}' } },
      { name: 'independent per-pCPU scheduling', type: 'bar', data: rows.map((r) => pct(r.bound)), itemStyle: { color: '#bbbbbb' }, label: { show: true, position: 'top', formatter: '{c}' } }
    ]
  }
  writeFileSync(join(out, 'lockstep-zero-samples.svg'), await renderSvg(bars as never, { width: 560, height: 300 }))

  const series = modes.map((m) => run(m, 'cpu-bound', 1))
  const t = series[0].r.series.t.map((x) => x / 1e6)
  writeFileSync(join(out, 'lockstep-series.csv'), ['t_ms,' + modes.flatMap((m) => [`${m}_vm0_ops`, `${m}_vm1_ops`]).join(','), ...t.map((x, k) => [x, ...series.flatMap((s) => s.r.series.perVm.map((v) => v.ops[k]))].join(','))].join('\n') + '\n')
  const line = {
    animation: false, textStyle: font,
    title: modes.map((m, i) => ({ text: `ops per 1-ms sample, cpu-bound, ${m} start (seed 1)`, textStyle: { fontSize: 12 }, left: 'center', top: i === 0 ? 0 : 150 })),
    legend: { top: 295, data: ['vm0', 'vm1'] },
    grid: modes.map((_, i) => ({ left: 45, right: 30, top: i === 0 ? 25 : 175, height: 95 })),
    xAxis: modes.map((_, i) => ({ type: 'value', gridIndex: i, name: i === 1 ? 'ms' : '', nameGap: 5, min: 0, max: Math.ceil(t[t.length - 1]) })),
    yAxis: modes.map((_, i) => ({ type: 'value', gridIndex: i })),
    series: series.flatMap((s, i) => s.r.series.perVm.map((v, j) => ({ name: `vm${j}`, type: 'line', step: 'end', showSymbol: false, xAxisIndex: i, yAxisIndex: i, data: t.map((x, k) => [x, v.ops[k]]), lineStyle: { width: 1.2 }, itemStyle: { color: j === 0 ? '#4477aa' : '#ee6677' } })))
  }
  writeFileSync(join(out, 'lockstep-series.svg'), await renderSvg(line as never, { width: 560, height: 320 }))
  for (const r of rows) console.log(`${r.workload} ${r.mode}: ${pct(r.share)} % zero-op samples (independent: ${pct(r.bound)} %), n=${r.n}`)
}

void main()
