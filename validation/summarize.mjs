#!/usr/bin/env node
// Sanity table of a kit data set: normalised throughput per configuration (issue 11's definition),
// its spread over repetitions, host preemptions per vCPU-second and the other-load share.
//   node validation/summarize.mjs validation/data/<id> [--markdown]
// normalised = (total ops/s of the configuration, summed over its VMs / ops/s of the reference
// configuration of the same benchmark and mode: 1 VM (1 process) x as many vCPUs (threads) as host
// cores) / (the same ratio for `cpu`), paired by repetition index.
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

const T95 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228]
const num = z.coerce.number().finite()
const rowSchema = z.object({
  benchmark: z.string().min(1),
  mode: z.enum(['vm', 'native']),
  pcpus: num.int().positive(),
  vms: num.int().positive(),
  vcpus_per_vm: num.int().positive(),
  vm: num.int().nonnegative(),
  rep: num.int().positive(),
  run_s: num.positive(),
  ops: num.nonnegative(),
  ops_per_s: num.nonnegative(),
  host_nonvol_csw: num.nonnegative(),
  host_vol_csw: num.nonnegative(),
  guest_steal_pct: z.string(),
  other_load_pct: num.nonnegative()
})

const dir = process.argv[2]
const markdown = process.argv.includes('--markdown')
if (!dir) {
  console.error('usage: node validation/summarize.mjs <data dir> [--markdown]')
  process.exit(2)
}
const lines = fs.readFileSync(path.join(dir, 'points.csv'), 'utf8').trim().split('\n')
const header = lines[0].split(',')
const rows = lines.slice(1).map((l, i) => {
  const r = rowSchema.safeParse(Object.fromEntries(l.split(',').map((v, j) => [header[j], v])))
  if (!r.success) {
    console.error(`points.csv line ${i + 2}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`)
    process.exit(1)
  }
  return r.data
})

const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length
const sd = (a) => (a.length < 2 ? NaN : Math.sqrt(a.reduce((s, x) => s + (x - mean(a)) ** 2, 0) / (a.length - 1)))
const ci95 = (a) => (a.length < 2 ? NaN : (T95[Math.min(a.length - 1, 10)] * sd(a)) / Math.sqrt(a.length))

// configuration key -> rep -> { opsPerS (summed over VMs), nonvol, vcpuSeconds, other, perVm[] }
const configs = new Map()
for (const r of rows) {
  const key = `${r.benchmark}|${r.mode}|${r.pcpus}|${r.vms}|${r.vcpus_per_vm}`
  if (!configs.has(key)) configs.set(key, new Map())
  const reps = configs.get(key)
  if (!reps.has(r.rep)) reps.set(r.rep, { opsPerS: 0, nonvol: 0, vcpuSeconds: 0, other: r.other_load_pct, perVm: [] })
  const x = reps.get(r.rep)
  x.opsPerS += r.ops_per_s
  x.nonvol += r.host_nonvol_csw
  x.vcpuSeconds += r.vcpus_per_vm * r.run_s
  x.perVm.push(r.ops_per_s)
}
const get = (b, mode, pcpus, vms, per) => configs.get(`${b}|${mode}|${pcpus}|${vms}|${per}`)

function normalised(b, mode, pcpus, vms, per) {
  const conf = get(b, mode, pcpus, vms, per)
  const ref = get(b, mode, pcpus, 1, pcpus)
  const cpu = get('cpu', mode, pcpus, vms, per)
  const cpuRef = get('cpu', mode, pcpus, 1, pcpus)
  if (!conf || !ref || !cpu || !cpuRef) return []
  const out = []
  for (const [rep, x] of conf) {
    const r = ref.get(rep)
    const c = cpu.get(rep)
    const cr = cpuRef.get(rep)
    if (r && c && cr) out.push(x.opsPerS / r.opsPerS / (c.opsPerS / cr.opsPerS))
  }
  if (out.length === 0) {
    const m = (mp) => mean([...mp.values()].map((x) => x.opsPerS))
    out.push(m(conf) / m(ref) / (m(cpu) / m(cpuRef)))
  }
  return out
}

const table = []
for (const [key, reps] of configs) {
  const [b, mode, pcpus, vms, per] = key.split('|')
  const [p, v, n] = [Number(pcpus), Number(vms), Number(per)]
  const tput = [...reps.values()].map((x) => x.opsPerS)
  const norm = normalised(b, mode, p, v, n)
  const vmImbalance = [...reps.values()].filter((x) => x.perVm.length > 1).map((x) => Math.max(...x.perVm) / Math.min(...x.perVm))
  table.push({
    benchmark: b,
    mode,
    layout: `${v}x${n}`,
    reps: reps.size,
    opsPerS: mean(tput),
    cvPct: (100 * sd(tput)) / mean(tput),
    normalised: mean(norm),
    ci95: ci95(norm),
    min: Math.min(...norm),
    max: Math.max(...norm),
    preemptPerVcpuS: mean([...reps.values()].map((x) => x.nonvol / x.vcpuSeconds)),
    vmMaxOverMin: vmImbalance.length ? mean(vmImbalance) : NaN,
    otherLoadPct: mean([...reps.values()].map((x) => x.other))
  })
}
const order = ['cpu', 'flock', 'futex', 'mmap', 'spinlock', 'hackbench']
table.sort((a, b) => order.indexOf(a.benchmark) - order.indexOf(b.benchmark) || a.benchmark.localeCompare(b.benchmark) || a.mode.localeCompare(b.mode) || a.layout.localeCompare(b.layout))
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-')
const cols = ['benchmark', 'mode', 'layout', 'reps', 'ops/s (sum of VMs)', 'CV %', 'normalised', 'CI95', 'min..max', 'preempt/vCPU-s', 'VM max/min', 'other load %']
const cells = table.map((t) => [t.benchmark, t.mode, t.layout, String(t.reps), f(t.opsPerS, 0), f(t.cvPct, 1), f(t.normalised, 3), f(t.ci95, 3), `${f(t.min)}..${f(t.max)}`, f(t.preemptPerVcpuS, 1), f(t.vmMaxOverMin), f(t.otherLoadPct, 1)])
if (markdown) {
  console.log('| ' + cols.join(' | ') + ' |')
  console.log('|' + cols.map(() => '---').join('|') + '|')
  for (const c of cells) console.log('| ' + c.join(' | ') + ' |')
} else {
  const w = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)))
  console.log(cols.map((c, i) => c.padEnd(w[i])).join('  '))
  for (const c of cells) console.log(c.map((x, i) => x.padEnd(w[i])).join('  '))
}

// Guest kernel counters per op (runs.jsonl kernelCounters, kit commits after d6b141b), VM rows only.
const runsFile = path.join(dir, 'runs.jsonl')
if (fs.existsSync(runsFile)) {
  const runs = fs.readFileSync(runsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.mode === 'vm' && r.kernelCounters)
  if (runs.length) {
    const groups = new Map()
    for (const r of runs) {
      const key = `${r.benchmark}|${r.vms}x${r.vcpusPerVm}`
      if (!groups.has(key)) groups.set(key, [])
      groups.get(key).push(r)
    }
    const head = ['benchmark', 'layout', 'n', 'TLB IPIs/op', 'RES IPIs/op', 'CAL IPIs/op', 'ctxt/op', 'LOC/vCPU-s', 'us/op/vCPU']
    const out = []
    for (const [key, rs] of groups) {
      const [b, layout] = key.split('|')
      const per = (k) => mean(rs.map((r) => r.kernelCounters[k] / Math.max(1, r.ops)))
      out.push([b, layout, String(rs.length), f(per('tlbShootdowns'), 3), f(per('reschedIpis'), 3), f(per('callFunctionIpis'), 3), f(per('contextSwitches'), 3), f(mean(rs.map((r) => r.kernelCounters.localTimer / (r.vcpusPerVm * r.runS))), 0), f(mean(rs.map((r) => (1e6 * r.vcpusPerVm) / Math.max(1e-9, r.opsPerS))), 1)])
    }
    out.sort((a, c) => order.indexOf(a[0]) - order.indexOf(c[0]) || a[1].localeCompare(c[1]))
    console.log('\nGuest kernel counters per op (whole guest, summed over its CPUs; us/op/vCPU = vCPUs / (ops/s)):')
    if (markdown) {
      console.log('| ' + head.join(' | ') + ' |')
      console.log('|' + head.map(() => '---').join('|') + '|')
      for (const c of out) console.log('| ' + c.join(' | ') + ' |')
    } else {
      const w = head.map((c, i) => Math.max(c.length, ...out.map((r) => r[i].length)))
      console.log(head.map((c, i) => c.padEnd(w[i])).join('  '))
      for (const c of out) console.log(c.map((x, i) => x.padEnd(w[i])).join('  '))
    }
  }
}
