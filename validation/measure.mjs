#!/usr/bin/env node
// eCS Lab real-guest measurement kit (issue 11): one command that builds everything it needs into a
// gitignored cache (guest kernel from Debian's linux-image-amd64, static benchmarks, a busybox
// initramfs), boots QEMU guests pinned to chosen host cores, runs one benchmark thread per vCPU for a
// fixed window, and writes the data set described in validation/README.md (points.csv, metadata.json,
// runs.jsonl, raw serial logs). Also runs the same binaries natively as threads on the host.
//
//   node validation/measure.mjs --quick                 # 1 rep, 3 s windows, cpu + flock: a smoke test
//   node validation/measure.mjs                         # the full sweep (see --help)
//
// Nothing here runs in CI: it needs qemu-system-x86, busybox-static, cpio, gcc, apt-get and root.
import { Command, Option } from 'commander'
import { z } from 'zod'
import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import crypto from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { qemuArgs, buildBenches, buildInitramfs } from './qemu-args.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const ALL_BENCHES = ['cpu', 'flock', 'futex', 'mmap', 'spinlock', 'hackbench']
const BENCH_DOC = {
  cpu: 'CPU-bound control: user-space xorshift64 loop, no system calls in the window (op = 4096 steps)',
  flock: 'flock(LOCK_EX)+flock(LOCK_UN) on one shared file, one open file description per thread: fs/locks.c flock_lock_inode (ctx->flc_lock spinlock, file_rwsem), waiters sleep in locks_lock_inode_wait, woken by locks_wake_up_blocks (blocked_lock_lock)',
  futex: 'token passing on one shared futex word: atomic increment, FUTEX_WAKE 1, FUTEX_WAIT on the written value: kernel/futex futex_wait_setup/futex_q_lock (hb->lock spinlock), futex_wait_queue -> schedule, futex_wake -> wake_up_q -> try_to_wake_up (wake IPIs)',
  mmap: 'mmap 16 anonymous pages, touch each, munmap, all threads in one mm: mmap_lock (write for mmap/munmap, read in do_user_addr_fault), page-table spinlock in do_anonymous_page, TLB-shootdown IPIs from tlb_finish_mmu -> flush_tlb_mm_range -> native_flush_tlb_multi',
  spinlock: 'write(1)+read on one shared non-blocking eventfd: fs/eventfd.c eventfd_write/eventfd_read under spin_lock_irq(&ctx->wqh.lock), no sleeping, no IPIs',
  hackbench: "kit's own timed equivalent of rt-tests hackbench -T -g 1 -f N -s 100: N sender and N receiver threads over AF_UNIX stream socketpairs (unix_stream_sendmsg/unix_stream_read_generic, sock_def_readable -> try_to_wake_up); op = one 100-byte message received"
}

const layoutRe = /^([12])x([1-9][0-9]?)$/
const optionsSchema = z.object({
  quick: z.boolean(),
  out: z.string().min(1).optional(),
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'id: letters, digits, ".", "_" and "-" only').optional(),
  reps: z.coerce.number().int().min(1, 'reps: 1..20').max(20, 'reps: 1..20'),
  secs: z.coerce.number().min(1, 'secs: 1..600').max(600, 'secs: 1..600'),
  benchmarks: z.array(z.enum(ALL_BENCHES)).min(1, 'benchmarks: at least one of ' + ALL_BENCHES.join(',')),
  layouts: z.array(z.string().regex(layoutRe, 'layouts: VMSxVCPUS with VMS 1 or 2 and VCPUS 1..99, e.g. 1x2,2x4')),
  nativeLayouts: z.array(z.string().regex(layoutRe, 'native-layouts: PROCSxTHREADS with PROCS 1 or 2, e.g. 1x2,2x4')),
  cores: z.array(z.coerce.number().int().min(0).max(os.cpus().length - 1, `cores: 0..${os.cpus().length - 1}`)).min(1),
  accel: z.enum(['auto', 'tcg', 'kvm']),
  mem: z.coerce.number().int().min(256, 'mem: 256..8192 MiB').max(8192, 'mem: 256..8192 MiB'),
  guestAppend: z.string().regex(/^[A-Za-z0-9_.,=\- ]*$/, 'guest-append: kernel parameters (letters, digits, _ . , = - and spaces), or "auto"'),
  nice: z.coerce.number().int().min(-20, 'nice: -20..19').max(19, 'nice: -20..19'),
  cache: z.string().min(1),
  bootTimeout: z.coerce.number().min(10, 'boot-timeout: 10..1800 s').max(1800, 'boot-timeout: 10..1800 s'),
  force: z.boolean()
})

const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean)

function parseOptions(argv) {
  const program = new Command()
  program
    .name('measure.mjs')
    .description('eCS Lab real-guest measurement kit: QEMU guests + native runs -> validation/data/<id>/')
    .option('--quick', 'smoke test: 1 rep, 3 s windows, benchmarks cpu,flock (other options still apply)', false)
    .option('--out <dir>', 'output folder (default validation/data/<id>); must not hold a points.csv already')
    .option('--id <id>', 'data set id (default <accel>-<cores>core-<date>[-quick])')
    .option('--reps <n>', 'repetitions of every configuration', '3')
    .option('--secs <s>', 'measured window per run, seconds (the same everywhere)', '10')
    .option('--benchmarks <list>', 'comma-separated subset of ' + ALL_BENCHES.join(','), ALL_BENCHES.join(','))
    .option('--layouts <list>', 'VM layouts VMSxVCPUS', '1x2,1x4,1x8,2x2,2x4')
    .option('--native-layouts <list>', 'native layouts PROCSxTHREADS ("" for none)', '1x2,1x4,1x8,2x2,2x4')
    .option('--cores <list>', 'host cores to pin QEMU and native runs to (default: all)', [...Array(os.cpus().length).keys()].join(','))
    .addOption(new Option('--accel <a>', 'accelerator: auto tries hardware KVM with a short boot, then TCG').choices(['auto', 'tcg', 'kvm']).default('auto'))
    .option('--mem <MiB>', 'guest memory per VM', '1024')
    .option('--guest-append <params>', 'extra guest kernel parameters; "auto": "clocksource=tsc tsc=reliable" under TCG (a TCG guest otherwise picks the emulated HPET, whose every read is an MMIO exit into QEMU under its big lock: see README), none under KVM (kvm-clock)', 'auto')
    .option('--nice <n>', 'niceness of the measured processes (and of their autogroup)', '-10')
    .option('--cache <dir>', 'cache folder for kernel, binaries, initramfs', path.join(HERE, '.cache'))
    .option('--boot-timeout <s>', 'seconds to wait for a guest to become READY', '300')
    .option('--force', 'write into an out folder that already has a points.csv (appends nothing: replaces it)', false)
    .parse(argv)
  const o = program.opts()
  const raw = {
    ...o,
    benchmarks: list(o.benchmarks),
    layouts: list(o.layouts),
    nativeLayouts: list(o.nativeLayouts),
    cores: list(o.cores)
  }
  if (o.quick) {
    const given = (name) => program.getOptionValueSource(name) === 'cli'
    if (!given('reps')) raw.reps = '1'
    if (!given('secs')) raw.secs = '3'
    if (!given('benchmarks')) raw.benchmarks = ['cpu', 'flock']
  }
  const parsed = optionsSchema.safeParse(raw)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`measure: invalid --${issue.path.join('.')}: ${issue.message}`)
    process.exit(2)
  }
  return parsed.data
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const log = (...a) => console.log(new Date().toISOString().slice(11, 19), ...a)
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts })
const readText = (p) => {
  try {
    return fs.readFileSync(p, 'utf8')
  } catch {
    return undefined
  }
}
const sha256 = (p) => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const USER_HZ = 100 // /proc/stat and /proc/<pid>/stat unit (sysconf(_SC_CLK_TCK) on Linux x86-64)

/** Aggregate cpu line of /proc/stat: busy (user nice system irq softirq) and steal jiffies. */
function hostStat() {
  const f = readText('/proc/stat').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
  const [user, nice, system, , , irq, softirq, steal] = f
  return { busy: user + nice + system + irq + softirq, steal, total: f.slice(0, 8).reduce((a, b) => a + b, 0) }
}

/** utime + stime of a whole process (all threads), in USER_HZ ticks; 0 if gone. */
function procTicks(pid) {
  const s = readText(`/proc/${pid}/stat`)
  if (!s) return 0
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ')
  return Number(f[11]) + Number(f[12])
}

function procNice(pid) {
  const s = readText(`/proc/${pid}/stat`)
  return s ? Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[16]) : undefined
}

/** Threads of pid with their names and context-switch counters. */
function threads(pid) {
  const out = []
  let tids = []
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`)
  } catch {
    return out
  }
  for (const tid of tids) {
    const st = readText(`/proc/${pid}/task/${tid}/status`)
    if (!st) continue
    const get = (k) => Number((st.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) || [])[1])
    out.push({
      tid: Number(tid),
      name: (st.match(/^Name:\s+(.*)$/m) || [])[1],
      vol: get('voluntary_ctxt_switches'),
      nonvol: get('nonvoluntary_ctxt_switches')
    })
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Build: guest kernel, benchmarks, initramfs (into the cache folder)

function prepareKernel(cache) {
  const debs = path.join(cache, 'debs')
  const root = path.join(cache, 'kernel-root')
  fs.mkdirSync(debs, { recursive: true })
  const findDeb = (prefix) => fs.readdirSync(debs).find((f) => f.startsWith(prefix) && f.endsWith('.deb'))
  if (!findDeb('linux-image-amd64_')) {
    log('downloading linux-image-amd64 (apt-get download)')
    sh('apt-get', ['download', 'linux-image-amd64'], { cwd: debs })
  }
  const meta = path.join(debs, findDeb('linux-image-amd64_'))
  const depends = sh('dpkg-deb', ['-f', meta, 'Depends']).trim()
  const versioned = depends.split(/[ ,(]/)[0]
  if (!/^linux-image-[0-9]/.test(versioned)) throw new Error(`unexpected Depends of linux-image-amd64: ${depends}`)
  if (!findDeb(versioned + '_')) {
    log(`downloading ${versioned} (apt-get download)`)
    sh('apt-get', ['download', versioned], { cwd: debs })
  }
  const deb = path.join(debs, findDeb(versioned + '_'))
  const boot = path.join(root, 'boot')
  if (!fs.existsSync(boot) || !fs.readdirSync(boot).some((f) => f.startsWith('vmlinuz-'))) {
    fs.rmSync(root, { recursive: true, force: true })
    fs.mkdirSync(root, { recursive: true })
    sh('dpkg-deb', ['-x', deb, root])
  }
  const vmlinuz = path.join(boot, fs.readdirSync(boot).find((f) => f.startsWith('vmlinuz-')))
  const configFile = path.join(boot, fs.readdirSync(boot).find((f) => f.startsWith('config-')))
  const cfgText = fs.readFileSync(configFile, 'utf8')
  const cfg = (k) => {
    const m = cfgText.match(new RegExp(`^CONFIG_${k}=(.*)$`, 'm'))
    if (m) return m[1].replace(/^"|"$/g, '')
    return new RegExp(`^# CONFIG_${k} is not set`, 'm').test(cfgText) ? 'n' : undefined
  }
  const preemptModel = ['PREEMPT_NONE', 'PREEMPT_VOLUNTARY', 'PREEMPT'].find((k) => cfg(k) === 'y')
  return {
    vmlinuz,
    package: versioned,
    packageVersion: sh('dpkg-deb', ['-f', deb, 'Version']).trim(),
    debSha256: sha256(deb),
    kernel: path.basename(vmlinuz).replace(/^vmlinuz-/, ''),
    config: {
      file: 'boot/' + path.basename(configFile) + ' of the package',
      HZ: Number(cfg('HZ')),
      PREEMPT: preemptModel,
      PREEMPT_DYNAMIC: cfg('PREEMPT_DYNAMIC'),
      PARAVIRT: cfg('PARAVIRT'),
      PARAVIRT_SPINLOCKS: cfg('PARAVIRT_SPINLOCKS'),
      KVM_GUEST: cfg('KVM_GUEST'),
      NO_HZ_IDLE: cfg('NO_HZ_IDLE'),
      NO_HZ_FULL: cfg('NO_HZ_FULL'),
      QUEUED_SPINLOCKS: cfg('QUEUED_SPINLOCKS'),
      NR_CPUS: Number(cfg('NR_CPUS')),
      SCHED_AUTOGROUP: cfg('SCHED_AUTOGROUP')
    }
  }
}

// ---------------------------------------------------------------------------------------------
// A measured process (QEMU guest or native benchmark) speaking the ECSKIT line protocol

class Subject {
  constructor(label, cmd, args, logFile) {
    this.label = label
    this.lines = []
    this.waiters = []
    this.exited = false
    this.log = fs.createWriteStream(logFile)
    this.child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    this.pid = this.child.pid
    const onLine = (line) => {
      this.log.write(line + '\n')
      const m = line.match(/ECSKIT ([A-Z]+)(.*)$/)
      if (!m) return
      const ev = { kind: m[1], fields: Object.fromEntries([...m[2].matchAll(/(\w+)=(\S*)/g)].map((x) => [x[1], x[2]])), at: process.hrtime.bigint() }
      if (ev.kind === 'END' && this.onEnd) this.onEnd(ev)
      this.lines.push(ev)
      this.wake()
    }
    readline.createInterface({ input: this.child.stdout }).on('line', onLine)
    readline.createInterface({ input: this.child.stderr }).on('line', (l) => this.log.write('[stderr] ' + l + '\n'))
    this.child.stdin.on('error', () => {})
    // 'close', not 'exit': 'exit' can come before the last stdout lines are read (a native benchmark
    // prints RESULT and exits at once; with 'exit' one RESULT was lost in the first full sweep).
    this.child.on('close', (code, signal) => {
      this.exited = true
      this.exitCode = code ?? signal
      this.wake()
    })
  }
  wake() {
    for (const w of this.waiters.splice(0)) w()
  }
  /** Resolves with the first not yet consumed event of `kind`; rejects on timeout or exit. */
  async next(kind, timeoutS) {
    const deadline = Date.now() + timeoutS * 1000
    for (;;) {
      const i = this.lines.findIndex((e) => e.kind === kind || e.kind === 'ERROR')
      if (i >= 0) {
        const [ev] = this.lines.splice(0, i + 1).slice(-1)
        if (ev.kind === 'ERROR') throw new Error(`${this.label}: guest error ${JSON.stringify(ev.fields)}`)
        return ev
      }
      if (this.exited) throw new Error(`${this.label}: exited (${this.exitCode}) while waiting for ${kind}`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`${this.label}: timeout (${timeoutS} s) waiting for ${kind}`)
      await new Promise((r) => {
        this.waiters.push(r)
        setTimeout(r, Math.min(left, 1000))
      })
    }
  }
  send(line) {
    this.child.stdin.write(line + '\n')
  }
  async finish(timeoutS) {
    const deadline = Date.now() + timeoutS * 1000
    while (!this.exited && Date.now() < deadline) await sleep(100)
    if (!this.exited) {
      this.child.kill('SIGKILL')
      while (!this.exited) await sleep(50)
    }
    await new Promise((r) => this.log.end(r))
  }
  kill() {
    if (!this.exited) this.child.kill('SIGKILL')
  }
}

// ---------------------------------------------------------------------------------------------

async function detectAccel(o, kernel, initrd, rawDir) {
  if (o.accel === 'tcg') return { accel: 'tcg', note: 'forced by --accel tcg' }
  if (!fs.existsSync('/dev/kvm')) {
    if (o.accel === 'kvm') throw new Error('--accel kvm but /dev/kvm does not exist')
    return { accel: 'tcg', note: '/dev/kvm absent' }
  }
  log('trying hardware KVM (short boot, 30 s timeout)')
  const s = new Subject('kvm-probe', 'taskset', qemuArgs(o, kernel, initrd, 'kvm', 1, 0, []), path.join(rawDir, 'kvm-probe.log'))
  try {
    await s.next('BOOTED', 30)
    await s.finish(20)
    return { accel: 'kvm', note: 'a 1-vCPU guest booted under -accel kvm' }
  } catch (e) {
    s.kill()
    await s.finish(5)
    if (o.accel === 'kvm') throw new Error(`--accel kvm but the probe boot failed: ${e.message}`)
    return { accel: 'tcg', note: `/dev/kvm present but a probe boot under -accel kvm failed (${e.message}; see raw/kvm-probe.log): not usable hardware KVM, fell back to multi-threaded TCG` }
  }
}

/** One group run: `subjects` all run `benches` in order; per benchmark they are released together. */
async function runGroup(ctx, group) {
  const { o, accel, csv, jsonl } = ctx
  const { mode, vms, per, rep, benches } = group
  const tag = `${mode}-${vms}x${per}-rep${rep}`
  const subjects = []
  const isVcpu = (t) => /^CPU \d+\//.test(t.name)
  const failures = []
  try {
    if (mode === 'vm') {
      for (let i = 0; i < vms; i++) {
        subjects.push(new Subject(`${tag}-vm${i}`, 'taskset', qemuArgs(o, ctx.kernel, ctx.initrd, accel, per, i, benches), path.join(ctx.rawDir, `${tag}-vm${i}.log`)))
      }
      for (const s of subjects) {
        const ev = await s.next('BOOTED', o.bootTimeout)
        s.booted = ev.fields
      }
    }
    for (const bench of benches) {
      if (mode === 'native') {
        subjects.length = 0
        for (let i = 0; i < vms; i++) {
          subjects.push(new Subject(`${tag}-${bench}-p${i}`, 'taskset', ['-c', o.cores.join(','), path.join(ctx.binDir, `ecs-${bench}`), String(per), String(o.secs)], path.join(ctx.rawDir, `${tag}-${bench}-p${i}.log`)))
        }
      }
      try {
        for (const s of subjects) await s.next('READY', mode === 'vm' ? 300 : 60)
        await sleep(200)
        const measured = (s) => threads(s.pid).filter((t) => (mode === 'vm' ? isVcpu(t) : t.tid !== s.pid))
        const before = subjects.map((s) => ({ th: measured(s), ticks: procTicks(s.pid) }))
        for (const [i, b] of before.entries()) {
          const want = mode === 'vm' ? per : bench === 'hackbench' ? 2 * per : per
          if (b.th.length !== want) throw new Error(`${subjects[i].label}: found ${b.th.length} measured threads, expected ${want}`)
        }
        const after = []
        let ended = 0
        let allEnded
        const allEndedP = new Promise((r) => (allEnded = r))
        const h0 = hostStat()
        const t0 = process.hrtime.bigint()
        let h1, t1
        const ticksEnd = []
        subjects.forEach((s, i) => {
          s.onEnd = () => {
            after[i] = measured(s)
            s.onEnd = undefined
            if (++ended === subjects.length) {
              h1 = hostStat()
              t1 = process.hrtime.bigint()
              subjects.forEach((x, j) => (ticksEnd[j] = procTicks(x.pid)))
              for (const x of subjects) x.send('ack')
              allEnded()
            }
          }
        })
        for (const s of subjects) s.send('go')
        const timeout = sleep((o.secs + 120) * 1000).then(() => 'timeout')
        if ((await Promise.race([allEndedP, timeout])) === 'timeout') throw new Error(`${tag} ${bench}: no END within ${o.secs + 120} s`)
        const results = []
        for (const s of subjects) results.push((await s.next('RESULT', 60)).fields)
        const windowS = Number(t1 - t0) / 1e9
        const measuredTicks = subjects.reduce((a, _, j) => a + (ticksEnd[j] - before[j].ticks), 0)
        const ncpu = os.cpus().length
        const otherPct = Math.max(0, (100 * (h1.busy - h0.busy - measuredTicks)) / (ncpu * windowS * USER_HZ))
        const hostStealPct = (100 * (h1.steal - h0.steal)) / (h1.total - h0.total || 1)
        subjects.forEach((s, i) => {
          const r = results[i]
          const byTid = new Map(before[i].th.map((t) => [t.tid, t]))
          const perThread = after[i].map((t) => ({ name: t.name, tid: t.tid, nonvol: t.nonvol - (byTid.get(t.tid)?.nonvol ?? t.nonvol), vol: t.vol - (byTid.get(t.tid)?.vol ?? t.vol) }))
          const nonvol = perThread.reduce((a, t) => a + t.nonvol, 0)
          const vol = perThread.reduce((a, t) => a + t.vol, 0)
          const runS = Number(r.elapsed_s)
          const ops = Number(r.ops)
          const steal = mode === 'vm' && accel === 'kvm' && r.steal_pct !== '' ? Number(r.steal_pct).toFixed(3) : ''
          csv.write([bench, mode, o.cores.length, vms, per, i, rep, runS.toFixed(6), ops, (ops / runS).toFixed(3), nonvol, vol, steal, otherPct.toFixed(2)].join(',') + '\n')
          jsonl.write(JSON.stringify({ benchmark: bench, mode, pcpus: o.cores.length, vms, vcpusPerVm: per, vm: i, rep, runS, ops, opsPerS: ops / runS, hostNonvolCsw: nonvol, hostVolCsw: vol, guestStealPctReported: r.steal_pct, otherLoadPct: otherPct, hostStealPct, hostWindowS: windowS, niceness: procNice(s.pid), perThreadOps: r.per_thread.split(',').map(Number), kernelCounters: r.irq_TLB === undefined ? undefined : { scope: mode === 'vm' ? 'guest' : 'host (all processes)', tlbShootdowns: Number(r.irq_TLB), reschedIpis: Number(r.irq_RES), callFunctionIpis: Number(r.irq_CAL), localTimer: Number(r.irq_LOC), contextSwitches: Number(r.ctxt) }, perThreadCsw: perThread, booted: s.booted }) + '\n')
        })
        log(`${tag} ${bench}: ops/s ${results.map((r) => (Number(r.ops) / Number(r.elapsed_s)).toFixed(0)).join(' + ')}, other load ${otherPct.toFixed(1)} %`)
        if (mode === 'vm') for (const s of subjects) await s.next('EXIT', 60)
      } catch (e) {
        failures.push(`${tag} ${bench}: ${e.message}`)
        log('FAILED', `${tag} ${bench}: ${e.message}`)
        if (mode === 'vm') throw e
      } finally {
        if (mode === 'native') for (const s of subjects) await s.finish(10)
      }
    }
    if (mode === 'vm') for (const s of subjects) await s.next('DONE', 120)
  } catch (e) {
    if (!failures.length || !failures.at(-1).endsWith(e.message)) failures.push(`${tag}: ${e.message}`)
    log('FAILED', `${tag}: ${e.message}`)
  } finally {
    for (const s of subjects) await s.finish(mode === 'vm' ? 30 : 10)
  }
  return failures
}

function hostInfo(o) {
  const kernel = os.release()
  let hz
  let hzSource
  const cfg = readText(`/boot/config-${kernel}`) ?? (fs.existsSync('/proc/config.gz') ? sh('sh', ['-c', 'zcat /proc/config.gz']) : undefined)
  if (cfg) {
    hz = Number((cfg.match(/^CONFIG_HZ=(\d+)/m) || [])[1])
    hzSource = fs.existsSync(`/boot/config-${kernel}`) ? `/boot/config-${kernel}` : '/proc/config.gz'
  }
  const knobs = {}
  for (const dir of ['/proc/sys/kernel', '/sys/kernel/debug/sched']) {
    let names = []
    try {
      names = fs.readdirSync(dir)
    } catch {
      continue
    }
    for (const n of names) {
      if (dir === '/proc/sys/kernel' && !n.startsWith('sched_')) continue
      const p = path.join(dir, n)
      try {
        if (fs.statSync(p).isFile()) knobs[p] = readText(p)?.trim()
      } catch {
        /* unreadable knob */
      }
    }
  }
  const [maj, min] = kernel.split('.').map(Number)
  const eevdf = maj > 6 || (maj === 6 && min >= 6)
  const cpuModel = (readText('/proc/cpuinfo').match(/^model name\s*:\s*(.*)$/m) || [])[1]
  return {
    kernel,
    scheduler: eevdf ? 'eevdf' : 'cfs',
    schedulerHow: `from the kernel version (${kernel}): EEVDF replaced CFS's pick in Linux 6.6 (kernel/sched/fair.c pick_eevdf)` + (fs.existsSync('/sys/kernel/debug/sched/base_slice_ns') ? '; /sys/kernel/debug/sched/base_slice_ns present' : '; /sys/kernel/debug not mounted, knobs from /proc/sys/kernel only'),
    hz,
    hzSource,
    cores: os.cpus().length,
    cpuModel,
    schedKnobs: knobs,
    autogroup: readText('/proc/self/autogroup')?.trim(),
    transparentHugepage: readText('/sys/kernel/mm/transparent_hugepage/enabled')?.trim(),
    otherLoadNote: `The machine is shared with other engineers' builds and tests. Measured processes ran at nice ${o.nice} in their own session whose autogroup nice was set to ${o.nice} (with sched_autogroup_enabled=1 plain nice only acts inside a session). other_load_pct = host busy time (user+nice+system+irq+softirq from /proc/stat) minus the measured processes' utime+stime, as % of all ${os.cpus().length} cores over the host window (go to the last END line). runs.jsonl also has hostStealPct (time the host itself lost to its hypervisor).`
  }
}

async function main() {
  const o = parseOptions(process.argv)
  // With autogroup scheduling, nice only ranks tasks within a session: run in our own session
  // (setsid) and give that session's autogroup the same nice, so the measured threads really get
  // most of the CPU against other sessions' builds.
  if (!process.env.ECSKIT_SESSION) {
    const child = spawn(process.execPath, process.argv.slice(1), { detached: true, stdio: 'inherit', env: { ...process.env, ECSKIT_SESSION: '1' } })
    const stop = () => child.kill('SIGTERM')
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    child.on('exit', (code) => process.exit(code ?? 1))
    return
  }
  if (fs.existsSync('/proc/self/autogroup')) {
    try {
      fs.writeFileSync('/proc/self/autogroup', String(o.nice))
    } catch (e) {
      log(`warning: could not set the autogroup nice: ${e.message}`)
    }
  }
  os.setPriority(0, o.nice)
  const started = new Date()
  const t0 = Date.now()
  fs.mkdirSync(o.cache, { recursive: true })
  log('preparing guest kernel, benchmarks and initramfs in', o.cache)
  const kernel = prepareKernel(o.cache)
  const binDir = buildBenches(o.cache)
  const initrd = buildInitramfs(o.cache, binDir)
  const tmpRaw = fs.mkdtempSync(path.join(o.cache, 'probe-'))
  const needVm = o.layouts.length > 0
  const acc = needVm ? await detectAccel(o, kernel.vmlinuz, initrd, tmpRaw) : { accel: 'tcg', note: 'no VM layouts requested' }
  o.append = o.guestAppend === 'auto' ? (acc.accel === 'kvm' ? '' : 'clocksource=tsc tsc=reliable') : o.guestAppend
  const date = started.toISOString().slice(0, 10)
  const id = o.id ?? `${acc.accel}-${o.cores.length}core-${date}${o.quick ? '-quick' : ''}`
  const outDir = o.out ?? path.join(HERE, 'data', id)
  if (fs.existsSync(path.join(outDir, 'points.csv')) && !o.force) {
    console.error(`measure: ${outDir}/points.csv exists: choose another --out/--id or pass --force`)
    process.exit(2)
  }
  const rawDir = path.join(outDir, 'raw')
  fs.rmSync(rawDir, { recursive: true, force: true })
  fs.mkdirSync(rawDir, { recursive: true })
  for (const f of fs.readdirSync(tmpRaw)) fs.copyFileSync(path.join(tmpRaw, f), path.join(rawDir, f))
  fs.rmSync(tmpRaw, { recursive: true, force: true })
  const csv = fs.createWriteStream(path.join(outDir, 'points.csv'))
  csv.write('benchmark,mode,pcpus,vms,vcpus_per_vm,vm,rep,run_s,ops,ops_per_s,host_nonvol_csw,host_vol_csw,guest_steal_pct,other_load_pct\n')
  const jsonl = fs.createWriteStream(path.join(outDir, 'runs.jsonl'))
  const gitCommit = (() => {
    try {
      return sh('git', ['-C', HERE, 'rev-parse', 'HEAD']).trim()
    } catch {
      return undefined
    }
  })()
  const rerun = ['node validation/measure.mjs', ...process.argv.slice(2)].join(' ')
  const metadata = {
    id,
    date,
    startedAt: started.toISOString(),
    status: 'running',
    host: hostInfo(o),
    qemu: {
      version: sh('qemu-system-x86_64', ['--version']).split('\n')[0],
      accel: acc.accel === 'kvm' ? 'kvm' : 'tcg-multi',
      accelNote: acc.note,
      cpu: acc.accel === 'kvm' ? 'host,-arch-capabilities' : 'max',
      memMiB: o.mem,
      pinnedCores: o.cores,
      machine: 'pc (i440FX) default, -nodefaults, serial console on stdio, -name ecskit-vmN,debug-threads=on (vCPU threads are named "CPU n/TCG" or "CPU n/KVM")'
    },
    guest: {
      kernel: kernel.kernel,
      package: `${kernel.package} ${kernel.packageVersion} (Debian, via apt-get download linux-image-amd64; sha256 ${kernel.debSha256})`,
      config: kernel.config,
      cmdline: `console=ttyS0 quiet panic=-1 ecskit.*${o.append ? ' ' + o.append : ''}`,
      clocksourceNote: o.append?.includes('clocksource=tsc') ? 'clocksource=tsc tsc=reliable (kit default under TCG since 2026-12-05): the guest reads the TSC without an exit, as a KVM guest reads kvm-clock; with the default HPET the 1-VM over-committed futex runs collapsed 6x on an emulator artefact (validation/data/tcg-2core-2026-12-05/vmm-trace/exp-*)' : 'the guest kernel\'s own choice (recorded per run in runs.jsonl booted.clocksource)',
      pvFeatures: acc.accel === 'kvm' ? 'KVM: guest PV features as the host KVM offers them (PV spinlocks, steal time, PV TLB flush) unless disabled' : 'none (TCG): no PV spinlocks (native qspinlock, virt_spin_lock test-and-set since the hypervisor CPUID bit is set), no steal time, no PV TLB flush, no pause-loop exiting, no halt polling',
      userland: 'busybox-static ' + sh('dpkg-query', ['-W', '-f', '${Version}', 'busybox-static']).trim() + ' initramfs, /init = validation/guest/init'
    },
    benchmarks: o.benchmarks.map((b) => ({
      name: b,
      source: `validation/bench/${b}.c (+ validation/bench/harness.c)`,
      kernel: BENCH_DOC[b],
      version: `sha256 ${crypto.createHash('sha256').update(fs.readFileSync(path.join(HERE, 'bench', b + '.c'))).update(fs.readFileSync(path.join(HERE, 'bench/harness.c'))).digest('hex').slice(0, 16)} of ${b}.c+harness.c; kit commit ${gitCommit ?? 'unknown'}`,
      build: 'gcc -O2 -static -pthread (' + sh('gcc', ['--version']).split('\n')[0] + ')'
    })),
    runSeconds: o.secs,
    repetitions: o.reps,
    layouts: { vm: o.layouts, native: o.nativeLayouts },
    niceness: o.nice,
    nicenessNote: 'nice of QEMU and native benchmark processes (checked per run in runs.jsonl.niceness), and autogroup nice of their session',
    orderNote: 'repetition-major: every configuration once per repetition; benchmark order rotated by one per repetition; in a VM layout one boot per repetition runs all benchmarks in turn, each released by a "go" line sent to all VMs at once',
    rerun,
    kitCommit: gitCommit
  }
  const writeMeta = () => fs.writeFileSync(path.join(outDir, 'metadata.json'), JSON.stringify(metadata, null, 2) + '\n')
  writeMeta()
  log(`data set ${id} -> ${outDir} (accel ${acc.accel}: ${acc.note})`)
  const ctx = { o, accel: acc.accel, csv, jsonl, kernel: kernel.vmlinuz, initrd, binDir, rawDir }
  const failures = []
  const parse = (l) => l.split('x').map(Number)
  for (let rep = 1; rep <= o.reps; rep++) {
    const k = (rep - 1) % o.benchmarks.length
    const benches = [...o.benchmarks.slice(k), ...o.benchmarks.slice(0, k)]
    for (const l of o.layouts) {
      const [vms, per] = parse(l)
      failures.push(...(await runGroup(ctx, { mode: 'vm', vms, per, rep, benches })))
    }
    for (const l of o.nativeLayouts) {
      const [vms, per] = parse(l)
      failures.push(...(await runGroup(ctx, { mode: 'native', vms, per, rep, benches })))
    }
  }
  await new Promise((r) => csv.end(r))
  await new Promise((r) => jsonl.end(r))
  metadata.status = failures.length ? 'completed with failures' : 'complete'
  metadata.failures = failures
  metadata.wallSeconds = Math.round((Date.now() - t0) / 1000)
  writeMeta()
  log(`done in ${metadata.wallSeconds} s, ${failures.length} failures -> ${outDir}`)
  process.exit(failures.length ? 1 : 0)
}

main().catch((e) => {
  console.error('measure:', e.stack || e.message)
  process.exit(1)
})
