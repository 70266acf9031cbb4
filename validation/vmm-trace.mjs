#!/usr/bin/env node
// Where do the vCPU threads of a TCG guest spend their time? A diagnostic of the kit (issue 11), not part
// of the data set sweep: for each VM layout it boots the guests like measure.mjs, and for each benchmark
// records the host scheduler and futex tracepoints of the QEMU processes over the measured window
// (`perf record -a -C <cores> -e sched:sched_switch,sched:sched_wakeup,syscalls:sys_enter_futex,
// syscalls:sys_exit_futex`; system-wide, because a switch-in from the idle task is recorded in the idle
// task's context), then splits each vCPU thread's time into
//   run        on a host core;
//   runnable   waiting for a host core (preempted, or woken and not yet switched in);
//   halt       asleep in a futex wait on anything but the BQL: the vCPU thread's halt condition variable
//              (qemu_wait_io_event -> qemu_cond_wait(cpu->halt_cond), the guest executed HLT);
//   bql        asleep in a futex wait on QEMU's big lock (qemu_global_mutex, the mutex the process's
//              threads wait on most: FUTEX_WAIT_PRIVATE with value 2 = glibc's contended lll_lock).
// Under multi-threaded TCG a vCPU thread takes the BQL to deliver an interrupt (cpu_handle_interrupt),
// to write an APIC MSR (ICR = IPI send, EOI, TSC deadline: helper_wrmsr), and to go to sleep on / return
// from HLT (qemu_wait_io_event); the main-loop thread takes it to run timers. A host preemption of the
// holder makes every other vCPU thread of that VM that needs it sleep (a VMM-level lock-holder
// preemption). With KVM none of these paths takes a process-wide lock (in-kernel LAPIC, HLT in KVM).
//
//   node validation/vmm-trace.mjs --out validation/data/<id>/vmm-trace      # all layouts x benchmarks
//   node validation/vmm-trace.mjs --layouts 1x4 --benchmarks futex --out /tmp/t
//
// Needs root (perf tracepoints), perf, qemu-system-x86 and the kit's cache (run measure.mjs once first).
// Tracing costs the guest some throughput (futex 1x2: ~34 k ops/s traced vs ~40 k untraced), so the ops/s
// it prints are not data-set points; the split of thread time is what it is for.
import { Command } from 'commander'
import { z } from 'zod'
import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'
import { qemuArgs, buildBenches, buildInitramfs } from './qemu-args.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const ALL = ['cpu', 'flock', 'futex', 'mmap', 'spinlock', 'hackbench']
const schema = z.object({
  out: z.string().min(1),
  layouts: z.array(z.string().regex(/^([12])x([1-9][0-9]?)$/, 'layouts: VMSxVCPUS with VMS 1 or 2, e.g. 1x4,2x2')).min(1),
  benchmarks: z.array(z.enum(ALL)).min(1, 'benchmarks: at least one of ' + ALL.join(',')),
  secs: z.coerce.number().min(3, 'secs: 3..60').max(60, 'secs: 3..60'),
  cores: z.array(z.coerce.number().int().min(0)).min(1),
  cache: z.string().min(1),
  append: z.string().regex(/^[A-Za-z0-9_.,=\- ]*$/, 'append: kernel parameters (letters, digits, _ . , = - and spaces)')
})

function options(argv) {
  const p = new Command()
    .name('vmm-trace.mjs')
    .description('host-side split of vCPU thread time (run / runnable / halt / BQL) per layout and benchmark')
    .requiredOption('--out <dir>', 'folder for vmm-trace.csv and vmm-trace.md')
    .option('--layouts <list>', 'VM layouts VMSxVCPUS', '1x2,1x4,1x8,2x2,2x4')
    .option('--benchmarks <list>', 'benchmarks', ALL.join(','))
    .option('--secs <s>', 'guest window; perf records its middle (secs - 1.5 s)', '4')
    .option('--cores <list>', 'host cores', '0,1')
    .option('--cache <dir>', 'the kit cache (measure.mjs builds it)', path.join(HERE, '.cache'))
    .option('--append <params>', 'extra guest kernel parameters (experiments, e.g. "nohz=off clocksource=tsc tsc=reliable")', '')
    .parse(argv)
  const o = p.opts()
  const split = (s) => s.split(',').map((x) => x.trim()).filter(Boolean)
  const r = schema.safeParse({ ...o, layouts: split(o.layouts), benchmarks: split(o.benchmarks), cores: split(o.cores) })
  if (!r.success) {
    for (const i of r.error.issues) console.error(`vmm-trace: ${i.path.join('.')}: ${i.message}`)
    process.exit(2)
  }
  return r.data
}

/** Parse `perf script` of one recording into per-process, per-thread time splits. */
export async function splitThreadTime(dataFile, pids) {
  const wanted = new Set(pids)
  const ps = spawn('perf', ['script', '-i', dataFile, '-F', 'comm,pid,tid,cpu,time,event,trace'], { stdio: ['ignore', 'pipe', 'ignore'] })
  const rl = readline.createInterface({ input: ps.stdout })
  const rx = /^\s*(.*?)\s+(\d+)\/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(\S+):\s*(.*)$/
  const events = []
  const mutexWaits = new Map() // pid -> Map(uaddr -> n)
  for await (const line of rl) {
    const m = rx.exec(line)
    if (!m) continue
    const ev = { comm: m[1], pid: +m[2], tid: +m[3], cpu: +m[4], t: +m[5], name: m[6], args: m[7] }
    if (ev.tid === 0) ev.pid = 0
    events.push(ev)
    if (ev.name === 'syscalls:sys_enter_futex') {
      const f = /uaddr: (0x[0-9a-f]+), op: (0x[0-9a-f]+), val: (0x[0-9a-f]+)/.exec(ev.args)
      ev.uaddr = f[1]
      ev.op = parseInt(f[2], 16)
      ev.val = parseInt(f[3], 16)
      if ((ev.op & 0x7f) === 0 && ev.val === 2) {
        const per = mutexWaits.get(ev.pid) ?? new Map()
        per.set(ev.uaddr, (per.get(ev.uaddr) ?? 0) + 1)
        mutexWaits.set(ev.pid, per)
      }
    }
  }
  if (events.length === 0) throw new Error(`no events in ${dataFile}`)
  const t0 = events[0].t
  const t1 = events[events.length - 1].t
  const bql = new Map()
  for (const [pid, per] of mutexWaits) bql.set(pid, [...per.entries()].sort((a, b) => b[1] - a[1])[0][0])
  const th = new Map() // tid -> acc
  const acc = (tid, pid, comm) => {
    let a = th.get(tid)
    if (!a) th.set(tid, (a = { pid, comm, run: 0, runnable: 0, halt: 0, bql: 0, bqlWaits: 0, halts: 0, preempted: 0, offSince: -1, offKind: '' }))
    if (comm && !comm.startsWith('qemu-system') && a.comm.startsWith('qemu-system')) a.comm = comm
    return a
  }
  const pending = new Map()
  const pidOf = new Map()
  const lastSwitch = new Map() // host cpu -> time of its last context switch (the running thread's run start)
  const stints = [] // { tid, cpu, from, to }: one run of a vCPU thread on a core
  for (const e of events) if (wanted.has(e.pid)) pidOf.set(e.tid, e.pid)
  for (const e of events) {
    if (e.name === 'syscalls:sys_enter_futex') pending.set(e.tid, e)
    else if (e.name === 'syscalls:sys_exit_futex') {
      const s = pending.get(e.tid)
      pending.delete(e.tid)
      const base = s ? s.op & 0x7f : -1
      if (s && (base === 0 || base === 9)) {
        const a = acc(e.tid, e.pid, e.comm)
        // the futex sleep itself is counted from sched_switch; this only tells which kind it was
        if (s.uaddr === bql.get(e.pid)) a.bqlWaits++
        else a.halts++
      }
    } else if (e.name === 'sched:sched_switch') {
      const m = /prev_comm=(.*) prev_pid=(\d+) .*prev_state=(\S+) ==> next_comm=(.*) next_pid=(\d+)/.exec(e.args)
      const prev = +m[2]
      const next = +m[5]
      if (pidOf.has(prev)) {
        const a = acc(prev, pidOf.get(prev), m[1])
        const from = lastSwitch.has(e.cpu) ? lastSwitch.get(e.cpu) : t0
        a.run += e.t - from
        stints.push({ tid: prev, cpu: e.cpu, from, to: e.t })
        a.offSince = e.t
        if (m[3].startsWith('R')) {
          a.offKind = 'runnable'
          a.preempted++
        } else {
          const p = pending.get(prev)
          a.offKind = p && p.uaddr === bql.get(pidOf.get(prev)) ? 'bql' : 'halt'
        }
      }
      if (pidOf.has(next)) {
        const a = acc(next, pidOf.get(next), m[4])
        if (a.offSince >= 0 && a.offKind !== 'runnable') a[a.offKind] += e.t - a.offSince
        a.offSince = -1
      }
      lastSwitch.set(e.cpu, e.t)
    } else if (e.name === 'sched:sched_wakeup') {
      const w = +/ pid=(\d+)/.exec(e.args)[1]
      const a = th.get(w)
      if (a && a.offSince >= 0 && a.offKind !== 'runnable') {
        a[a.offKind] += e.t - a.offSince
        a.offSince = -1
      }
    }
  }
  for (const a of th.values()) if (a.offSince >= 0 && a.offKind !== 'runnable') a[a.offKind] += t1 - a.offSince
  const T = t1 - t0
  // Per VM: the time two or more of its vCPU threads ran at once (on different cores), and how often a
  // thread ran on another core than in its previous stint (migrations). With one VM of two vCPUs on two
  // cores, coRun near 1 means the two threads hold a core each, near 0 that they take turns.
  const coRun = new Map()
  const migrations = new Map()
  const byPid = new Map()
  for (const s of stints) {
    const a = th.get(s.tid)
    if (!a || !/^CPU \d+\/TCG$/.test(a.comm)) continue
    if (!byPid.has(a.pid)) byPid.set(a.pid, [])
    byPid.get(a.pid).push(s)
  }
  for (const [pid, ss] of byPid) {
    const edges = ss.flatMap((s) => [[s.from, 1], [s.to, -1]]).sort((x, y) => x[0] - y[0] || x[1] - y[1])
    let n = 0
    let last = t0
    let both = 0
    for (const [t, d] of edges) {
      if (n >= 2) both += t - last
      n += d
      last = t
    }
    coRun.set(pid, both / T)
    const lastCpu = new Map()
    let m = 0
    for (const s of [...ss].sort((x, y) => x.from - y.from)) {
      if (lastCpu.has(s.tid) && lastCpu.get(s.tid) !== s.cpu) m++
      lastCpu.set(s.tid, s.cpu)
    }
    migrations.set(pid, m / T)
  }
  const perPid = new Map()
  for (const a of th.values()) {
    if (!/^CPU \d+\/TCG$/.test(a.comm)) continue
    const p = perPid.get(a.pid) ?? { vcpus: 0, run: 0, runnable: 0, halt: 0, bql: 0, bqlWaits: 0, halts: 0, preempted: 0 }
    p.vcpus++
    // run is exact (per-core timelines); runnable = the rest of the off-core time after the sleeps
    p.run += a.run / T
    p.runnable += Math.max(0, T - a.run - a.halt - a.bql) / T
    p.halt += a.halt / T
    p.bql += a.bql / T
    p.bqlWaits += a.bqlWaits / T
    p.halts += a.halts / T
    p.preempted += a.preempted / T
    p.coRun = coRun.get(a.pid) ?? 0
    p.migrations = migrations.get(a.pid) ?? 0
    perPid.set(a.pid, p)
  }
  return { windowS: T, perPid }
}

async function runLayout(o, layout, kernel, initrd) {
  const [vms, per] = layout.split('x').map(Number)
  const rows = []
  const procs = []
  let ready = 0
  let benchIdx = 0
  const results = new Map()
  const perfDone = [] // each perf record must have written its file before it is parsed
  const onReady = () => {
    const bench = o.benchmarks[benchIdx]
    const file = path.join(o.out, `${layout}-${bench}.perf.data`)
    const perf = spawn('perf', ['record', '-q', '-m', '8M', '-e', 'syscalls:sys_enter_futex,syscalls:sys_exit_futex,sched:sched_switch,sched:sched_wakeup', '-a', '-C', o.cores.join(','), '-o', file, '--', 'sleep', String(o.secs - 1.5)], { stdio: 'ignore' })
    perfDone.push(new Promise((r) => perf.on('exit', r)))
    setTimeout(() => { for (const p of procs) p.stdin.write('go\n') }, 700)
  }
  let ended = 0
  const finished = []
  for (let i = 0; i < vms; i++) {
    const args = qemuArgs({ cores: o.cores, secs: o.secs, mem: 1024, append: o.append }, kernel, initrd, 'tcg', per, i, o.benchmarks)
    const p = spawn('taskset', args, { stdio: ['pipe', 'pipe', 'ignore'] })
    procs.push(p)
    finished.push(new Promise((r) => p.on('exit', r)))
    const rl = readline.createInterface({ input: p.stdout })
    rl.on('line', async (line) => {
      if (line.includes('ECSKIT BOOTED')) process.stderr.write(line.trim() + '\n')
      if (line.includes('ECSKIT READY') && ++ready === vms) { ready = 0; onReady() }
      if (line.includes('ECSKIT END')) p.stdin.write('ack\n')
      const m = /ECSKIT RESULT bench=(\S+) .*ops=(\d+) elapsed_s=([\d.]+)/.exec(line)
      if (m) {
        const g = /user_pct=([\d.]+) sys_pct=([\d.]+) idle_pct=([\d.]+)/.exec(line)
        results.set(`${m[1]}/${i}`, { opsPerS: +m[2] / +m[3], guest: g ? { user: g[1], sys: g[2], idle: g[3] } : { user: '', sys: '', idle: '' } })
        if (++ended === vms) {
          ended = 0
          benchIdx++
        }
      }
    })
  }
  await Promise.all(finished)
  await Promise.all(perfDone)
  for (const bench of o.benchmarks) {
    const file = path.join(o.out, `${layout}-${bench}.perf.data`)
    const pids = procs.map((p) => p.pid)
    const s = await splitThreadTime(file, pids)
    if (!process.env.VMM_TRACE_KEEP) fs.rmSync(file)
    pids.forEach((pid, i) => {
      const p = s.perPid.get(pid)
      if (!p) return
      const r = results.get(`${bench}/${i}`)
      rows.push({ layout, bench, vm: i, vcpus: p.vcpus, opsPerS: Math.round(r?.opsPerS ?? NaN), guestUserPct: r?.guest.user, guestSysPct: r?.guest.sys, guestIdlePct: r?.guest.idle, windowS: s.windowS.toFixed(2), run: p.run.toFixed(3), runnable: p.runnable.toFixed(3), halt: p.halt.toFixed(3), bql: p.bql.toFixed(3), bqlWaitsPerS: Math.round(p.bqlWaits), haltsPerS: Math.round(p.halts), preemptionsPerS: Math.round(p.preempted), coRun: p.coRun.toFixed(3), migrationsPerS: Math.round(p.migrations) })
    })
  }
  return rows
}

async function main() {
  const o = options(process.argv)
  fs.mkdirSync(o.out, { recursive: true })
  const kdir = path.join(o.cache, 'kernel-root', 'boot')
  const kernel = path.join(kdir, fs.readdirSync(kdir).find((f) => f.startsWith('vmlinuz')))
  if (!fs.existsSync(kdir)) throw new Error(`${kdir} missing: run node validation/measure.mjs --quick once to fetch the guest kernel`)
  const initrd = buildInitramfs(o.cache, buildBenches(o.cache))
  const started = Date.now()
  const rows = []
  for (const layout of o.layouts) {
    process.stderr.write(`vmm-trace: ${layout} ...\n`)
    rows.push(...(await runLayout(o, layout, kernel, initrd)))
  }
  const cols = Object.keys(rows[0])
  fs.writeFileSync(path.join(o.out, 'vmm-trace.csv'), [cols.join(','), ...rows.map((r) => cols.map((c) => r[c]).join(','))].join('\n') + '\n')
  const md = [
    `Host-side split of vCPU thread time${o.append ? ` (guest kernel parameters added: \`${o.append}\`)` : ''}, summed over a VM's vCPU threads (thread-seconds per second; ${o.secs - 1.5} s of each ${o.secs} s window traced with perf; ${new Date().toISOString().slice(0, 10)}; wall time ${Math.round((Date.now() - started) / 1000)} s; \`node validation/vmm-trace.mjs --out ${o.out}\`; perf ${execFileSync('perf', ['--version']).toString().trim()}).`,
    '',
    'Guest user/sys/idle: % of the VM\'s vCPU time by the guest kernel\'s own tick sampling over the window.',
    '',
    'co-run: share of the window in which two or more of the VM\'s vCPU threads ran at once (on different cores); migrations/s: stints of a vCPU thread on another core than its previous stint.',
    '',
    '| layout | benchmark | VM | ops/s (traced) | guest user / sys / idle % | run | runnable | halt | BQL | BQL futex waits/s | halt waits/s | preemptions/s | co-run | migrations/s |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.layout} | ${r.bench} | ${r.vm} | ${r.opsPerS} | ${r.guestUserPct} / ${r.guestSysPct} / ${r.guestIdlePct} | ${r.run} | ${r.runnable} | ${r.halt} | ${r.bql} | ${r.bqlWaitsPerS} | ${r.haltsPerS} | ${r.preemptionsPerS} | ${r.coRun} | ${r.migrationsPerS} |`)
  ]
  fs.writeFileSync(path.join(o.out, 'vmm-trace.md'), md.join('\n') + '\n')
  process.stdout.write(md.join('\n') + '\n')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((e) => {
    console.error(`vmm-trace: ${e.message}`)
    process.exit(1)
  })
}
