/**
 * `npm run bench` (tsx bench/run.ts [--quick] [--json FILE]): engine throughput.
 *  1. events/s and wall time per simulated second for undercommit-1x and overcommit-2x (80 pCPUs,
 *     spinlock-heavy, 1 s simulated; --quick: 0.2 s), cold (first runs of the process) and warm
 *     (the same runs again, as a pool worker runs them from its second simulation on);
 *  2. cost vs pCPU count: 2 VMs x P vCPUs on P pCPUs, P = 80, 160, 320, 640 (50 ms simulated);
 *  3. cost vs simulated duration: overcommit-2x for 0.1, 0.2, 0.4, 0.8 s.
 * Heap is sampled during and after each run (memory must not grow with duration). Single thread.
 * Reports wall time and process CPU time (user+sys): on a shared machine the CPU-time rate is the
 * engine's own speed, the wall rate includes waiting for a core.
 */
import { writeFileSync } from 'node:fs'
import { resolveScenario, runScenario, type ScenarioInput } from '../src/sim/index'
import { findWorkloadPreset } from '../src/sim/workloads/index'

const spinlockHeavy = findWorkloadPreset('spinlock-heavy')!

interface Row { name: string; pcpus: number; vcpus: number; simMs: number; wallMs: number; cpuMs: number; events: number; mEventsPerSec: number; mEventsPerCpuSec: number; wallSecPerSimSec: number; heapMB: number; peakHeapMB: number }

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const jsonIdx = args.indexOf('--json')
const jsonFile = jsonIdx >= 0 ? args[jsonIdx + 1] : undefined

function measure(name: string, input: ScenarioInput | Record<string, unknown>): Row {
  const s = resolveScenario(input)
  global.gc?.()
  let peak = process.memoryUsage().heapUsed
  const c0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const r = runScenario(s, { progressEveryEvents: 500_000, onProgress: () => { peak = Math.max(peak, process.memoryUsage().heapUsed) } })
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6
  const cu = process.cpuUsage(c0)
  const cpuMs = (cu.user + cu.system) / 1000
  const heap = process.memoryUsage().heapUsed
  peak = Math.max(peak, heap)
  const row: Row = {
    name,
    pcpus: s.host.pcpus,
    vcpus: s.vms.reduce((a, v) => a + v.vcpus, 0),
    simMs: r.simulatedNs / 1e6,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round(cpuMs),
    events: r.events,
    mEventsPerSec: +(r.events / wallMs / 1000).toFixed(2),
    mEventsPerCpuSec: +(r.events / cpuMs / 1000).toFixed(2),
    wallSecPerSimSec: +((wallMs / 1000) / (r.simulatedNs / 1e9)).toFixed(2),
    heapMB: +(heap / 2 ** 20).toFixed(1),
    peakHeapMB: +(peak / 2 ** 20).toFixed(1)
  }
  process.stdout.write(`${row.name.padEnd(28)} ${String(row.pcpus).padStart(5)} ${String(row.vcpus).padStart(6)} ${row.simMs.toFixed(0).padStart(7)} ${String(row.wallMs).padStart(8)} ${String(row.cpuMs).padStart(8)} ${String(row.events).padStart(11)} ${row.mEventsPerSec.toFixed(2).padStart(8)} ${row.mEventsPerCpuSec.toFixed(2).padStart(8)} ${row.wallSecPerSimSec.toFixed(2).padStart(9)} ${row.peakHeapMB.toFixed(1).padStart(8)}\n`)
  return row
}

const header = `${'run'.padEnd(28)} ${'pcpus'.padStart(5)} ${'vcpus'.padStart(6)} ${'sim ms'.padStart(7)} ${'wall ms'.padStart(8)} ${'cpu ms'.padStart(8)} ${'events'.padStart(11)} ${'Mev/s'.padStart(8)} ${'Mev/cpus'.padStart(8)} ${'wall/sim'.padStart(9)} ${'peak MB'.padStart(8)}\n`
const rows: Row[] = []
const dur = quick ? 200_000_000 : 1_000_000_000

process.stdout.write(`eCS Lab engine benchmark (node ${process.version}, ${quick ? 'quick' : 'full'})\n\n1. 80-pCPU presets, cold: the first simulations of a fresh process (includes V8's warm-up)\n${header}`)
rows.push(measure('undercommit-1x', { preset: 'undercommit-1x', durationNs: dur }))
rows.push(measure('overcommit-2x', { preset: 'overcommit-2x', durationNs: dur }))

// A pool worker runs one simulation after another (campaigns, comparisons): from its second run on
// the code is compiled. Same scenarios and seeds again, so the work is identical to the cold rows.
process.stdout.write(`\n1b. the same runs again in this process, warm (what a pool worker sees from its second run on)\n${header}`)
rows.push(measure('undercommit-1x (warm)', { preset: 'undercommit-1x', durationNs: dur }))
rows.push(measure('overcommit-2x (warm)', { preset: 'overcommit-2x', durationNs: dur }))

process.stdout.write(`\n2. scaling with pCPUs (2 VMs x P vCPUs on P pCPUs, spinlock-heavy with 16 x P/80 locks so contention per lock stays constant)\n${header}`)
for (const p of [80, 160, 320, 640]) {
  const wl = { ...spinlockHeavy, sections: spinlockHeavy.sections!.map((sec) => ({ ...sec, instances: Math.round((16 * p) / 80) })) }
  rows.push(measure(`pcpus-${p}`, {
    host: { pcpus: p }, vms: [{ name: 'vm0', vcpus: p, workload: wl }, { name: 'vm1', vcpus: p, workload: wl }],
    durationNs: quick ? 20_000_000 : 50_000_000, warmupNs: 0
  }))
}

process.stdout.write(`\n3. scaling with simulated time (overcommit-2x)\n${header}`)
for (const ms of quick ? [50, 100, 200] : [100, 200, 400, 800]) rows.push(measure(`overcommit-2x ${ms} ms`, { preset: 'overcommit-2x', durationNs: ms * 1_000_000 }))

if (jsonFile) {
  writeFileSync(jsonFile, JSON.stringify({ node: process.version, quick, rows }, null, 2) + '\n')
  process.stdout.write(`\nwrote ${jsonFile}\n`)
}
