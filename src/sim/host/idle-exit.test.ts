/**
 * Specs of four host / guest mechanisms added for the measured-host profile (issue 11, engine 0.8.0):
 * the idle exit of a pCPU (host.costs.idleExitNs, host.ts leaveIdle), the CPU cost of leaving a blocking
 * halt (host.costs.haltExitNs, kvm/vcpu.ts vcpuLoad), the emulator thread
 * (host.emulator, QEMU's main loop under TCG) and the waiter modes of guest sleeping locks
 * (SectionSchema.waiters, locks/mutex.ts). Each runs a tiny scenario and asserts on the trace or counters.
 */
import { describe, expect, it } from 'vitest'
import { oneSection, runTraced, tinyScenario } from '../testing/build'
import { resolveScenario } from '../scenario/resolve'
import { runScenario } from '../index'

const sleeper = { computeNs: { type: 'fixed' as const, ns: 50_000 }, sections: [{ kind: 'sleep' as const, holdNs: { type: 'fixed' as const, ns: 1_000_000 } }] }

describe('idle exit (host.costs.idleExitNs)', () => {
  it('a vCPU woken onto an idle pCPU runs idleExitNs after its wake-up; absent, at once', () => {
    for (const idleExitNs of [undefined, 40_000]) {
      const host = idleExitNs === undefined ? {} : { costs: { idleExitNs } }
      const { tr } = runTraced(tinyScenario({ pcpus: 1, vms: [{ vcpus: 1, workload: sleeper }], durationNs: 20_000_000, host }), 1_000_000)
      const wakes = tr.filter((x) => x.kind === 'wake')
      expect(wakes.length).toBeGreaterThanOrEqual(10)
      for (const w of wakes) {
        const run = tr.find((x) => x.kind === 'run' && x.t >= w.t)!
        expect(run.t - w.t).toBe(idleExitNs ?? 0)
      }
    }
  })

  it('a vCPU woken onto a busy pCPU pays no idle exit (wakeup preemption at the wake instant)', () => {
    const { tr } = runTraced(tinyScenario({ pcpus: 1, hz: 1000, vms: [{ vcpus: 1, workload: 'cpu-bound' }, { vcpus: 1, workload: { ...sleeper, sections: [{ kind: 'sleep', holdNs: { type: 'fixed', ns: 10_000_000 } }] } }], durationNs: 40_000_000, host: { costs: { idleExitNs: 40_000 } } }), 1_000_000)
    const wakes = tr.filter((x) => x.kind === 'wake' && x.vm === 1)
    expect(wakes.length).toBeGreaterThanOrEqual(2)
    for (const w of wakes) expect(tr.some((x) => x.t === w.t && x.kind === 'run' && x.vm === 1)).toBe(true)
  })

  it('lowers the throughput of a wake-bound workload only when the woken vCPU finds its pCPU idle', () => {
    const token = oneSection('mutex', 20_000, 5_000, { waiters: 'handoff' })
    // no halt polling: a waiting vCPU's thread sleeps on HLT, so every hand-off is a host wake-up
    const ops = (vms: number, idleExitNs: number) => runScenario(resolveScenario(tinyScenario({ pcpus: 2, vms: Array.from({ length: vms }, () => ({ vcpus: 2, workload: token })), durationNs: 100_000_000, host: { haltPoll: { maxNs: 0 }, costs: { idleExitNs } } }))).vms.reduce((a, v) => a + v.opsPerSec, 0)
    // 1 VM x 2 on 2 pCPUs: every hand-off wakes a halted vCPU onto an idle pCPU
    expect(ops(1, 50_000)).toBeLessThan(0.7 * ops(1, 0))
    // 2 VMs x 2: the other VM keeps the pCPUs busy, so most wake-ups find them busy
    expect(ops(2, 50_000)).toBeGreaterThan(1.5 * ops(1, 50_000))
  })

  it('keeps the invariants (nothing stranded on an idle pCPU) and the result is deterministic', () => {
    const token = oneSection('mutex', 20_000, 5_000, { waiters: 'handoff' })
    const input = tinyScenario({ pcpus: 2, vms: [{ vcpus: 4, workload: token }, { vcpus: 2, workload: sleeper }], durationNs: 30_000_000, host: { costs: { idleExitNs: 30_000 }, noise: { tasksPerPcpu: 1 } } })
    const a = runTraced(input, 200_000).r
    const b = runScenario(resolveScenario(input))
    expect(JSON.stringify(b.vms)).toBe(JSON.stringify(a.vms))
  })
})

describe('halt exit (host.costs.haltExitNs)', () => {
  const ops = (workload: unknown, costs: Record<string, number> | undefined, vms = 1, pcpus = 1) =>
    runScenario(resolveScenario(tinyScenario({ pcpus, vms: Array.from({ length: vms }, () => ({ vcpus: 1, workload: workload as never })), durationNs: 50_000_000, host: { haltPoll: { maxNs: 0 }, ...(costs ? { costs } : {}) } })))

  it('charges its CPU to every vCPU switched in after a blocking halt: a sleep-bound vCPU loses ~haltExitNs per cycle', () => {
    // one cycle = 50 us of work + a 1 ms sleep (the vCPU halts) + wake-up: ~1.06 ms; +200 us per cycle -> ~0.84x
    const base = ops(sleeper, undefined).vms[0].opsPerSec
    const slow = ops(sleeper, { haltExitNs: 200_000 }).vms[0].opsPerSec
    expect(slow / base).toBeGreaterThan(0.78)
    expect(slow / base).toBeLessThan(0.9)
  })

  it('absent = 0, and a vCPU switched in after a preemption (not a halt) pays nothing', () => {
    expect(JSON.stringify(ops(sleeper, { haltExitNs: 0 }).vms)).toBe(JSON.stringify(ops(sleeper, undefined).vms))
    // two cpu-bound vCPUs on one pCPU preempt each other and never halt
    const a = ops('cpu-bound', undefined, 2)
    const b = ops('cpu-bound', { haltExitNs: 1_000_000 }, 2)
    expect(a.preemptions.total).toBeGreaterThan(5)
    expect(JSON.stringify(b.vms)).toBe(JSON.stringify(a.vms))
  })
})

describe('emulator thread (host.emulator)', () => {
  it('preempts busy vCPU threads about once per guest tick of each vCPU; absent, CPU-bound vCPUs on their own pCPUs are not preempted', () => {
    const sc = (emulator: boolean) => resolveScenario(tinyScenario({ pcpus: 2, vms: [{ vcpus: 2, workload: 'cpu-bound' }], durationNs: 400_000_000, start: { mode: 'staggered' }, guest: { hz: 250 }, host: emulator ? { emulator: { burstNs: { type: 'exp', meanNs: 10_000 } } } : {} }))
    const rate = (emulator: boolean) => {
      const r = runScenario(sc(emulator))
      return r.preemptions.total / ((2 * r.measuredNs) / 1e9)
    }
    expect(rate(false)).toBe(0)
    const withEmu = rate(true)
    // 2 busy vCPUs x 250 Hz = 500 wake-ups/s of one thread over 2 pCPUs: ~250 preemptions per vCPU-second
    expect(withEmu).toBeGreaterThan(150)
    expect(withEmu).toBeLessThan(350)
  })

  it('does not wake for halted vCPUs (a NOHZ guest stops their tick)', () => {
    const idle = { computeNs: { type: 'fixed' as const, ns: 10_000 }, sections: [{ kind: 'sleep' as const, holdNs: { type: 'fixed' as const, ns: 50_000_000 } }] }
    const r = runScenario(resolveScenario(tinyScenario({ pcpus: 2, vms: [{ vcpus: 2, workload: idle }, { vcpus: 2, workload: 'cpu-bound' }], durationNs: 400_000_000, host: { emulator: { burstNs: { type: 'fixed', ns: 10_000 } } } })))
    // vm0's vCPUs halt but for 10 us every 50 ms, so its emulator thread almost never runs; vm1's (2 busy
    // vCPUs x 250 Hz) runs ~500 times a second: ~200 runs in 0.4 s for both together
    const runs = r.counters['host.noiseRuns']
    expect(runs).toBeGreaterThan(120)
    expect(runs).toBeLessThan(300)
  })
})

describe('mutex waiter modes (SectionSchema.waiters)', () => {
  const run = (waiters?: 'spin' | 'sleep' | 'handoff') => runTraced(tinyScenario({ pcpus: 2, vms: [{ vcpus: 2, workload: oneSection('mutex', 20_000, 5_000, waiters ? { waiters } : {}) }], durationNs: 20_000_000 }), 1_000_000)

  it("'spin' (default) spins optimistically while the owner runs; 'sleep' and 'handoff' never do", () => {
    expect(run().r.counters['mutex.optSpins']).toBeGreaterThan(0)
    expect(run('sleep').r.counters['mutex.optSpins']).toBe(0)
    expect(run('handoff').r.counters['mutex.optSpins']).toBe(0)
    expect(run('sleep').r.counters['mutex.sleeps']).toBeGreaterThan(0)
  })

  it("'handoff' passes the lock FIFO: with two tasks the holders strictly alternate", () => {
    const { tr } = run('handoff')
    const enters = tr.filter((x) => x.kind === 'cs-enter' && x.cs === 'mutex').map((x) => x.vcpu)
    expect(enters.length).toBeGreaterThan(20)
    for (let i = 1; i < enters.length; i++) expect(enters[i]).not.toBe(enters[i - 1])
  })

  it("'token': no task takes the lock twice in a row even when the other task's vCPU is descheduled ('handoff' then repeats); one task alone waits forever", () => {
    // two vCPUs on one pCPU: rarely both running, so a 'handoff' lock is mostly free when its releaser comes back
    const one = (waiters: 'handoff' | 'token', vcpus = 2) => runTraced(tinyScenario({ pcpus: 1, vms: [{ vcpus, workload: oneSection('mutex', 20_000, 5_000, { waiters }) }], durationNs: 40_000_000 }), 1_000_000)
    const repeats = (tr: ReturnType<typeof one>['tr']) => {
      const enters = tr.filter((x) => x.kind === 'cs-enter' && x.cs === 'mutex').map((x) => x.vcpu)
      let n = 0
      for (let i = 1; i < enters.length; i++) if (enters[i] === enters[i - 1]) n++
      return { n, total: enters.length }
    }
    const h = repeats(one('handoff').tr)
    const t = one('token')
    const tk = repeats(t.tr)
    expect(h.n).toBeGreaterThan(h.total / 20)
    expect(tk.total).toBeGreaterThan(20)
    expect(tk.n).toBe(0)
    // with one pCPU the other task has never done an op by the time a task comes back: every op ends
    // with its task asleep until the other task's op wakes it
    expect(t.r.counters['mutex.sleeps']).toBeGreaterThanOrEqual(tk.total - 2)
    expect(t.r.counters['mutex.handoffs']).toBe(0)
    expect(repeats(one('token', 1).tr).total).toBe(1)
  })

  it("'token': a release wakes one sleeper without reserving the lock, so running tasks go on (FUTEX_WAIT -EAGAIN)", () => {
    // four tasks on four pCPUs, 5 us holds and 20 us of compute: while one task's op is in progress the
    // others' words have moved, so they wait for hb->lock spinning instead of sleeping, and the ring
    // runs at the rate of four unhindered tasks, 4 / 25 us (the lock is busy 80 % of the time). A lock
    // reserved for a sleeper at every release would make each op wait for a wake-up.
    const { r } = runTraced(tinyScenario({ pcpus: 4, vms: [{ vcpus: 4, workload: oneSection('mutex', 5_000, 20_000, { waiters: 'token' }) }], durationNs: 20_000_000 }), 1_000_000)
    expect(r.counters['mutex.sleeps']).toBeLessThan(r.counters['lock.acquisitions'] / 10)
    expect(r.counters['mutex.handoffs']).toBe(0)
    expect(r.vms[0].opsPerSec).toBeGreaterThan(0.9 * 4 / 25e-6)
  })

  it("'sleep' lets the running releaser take the lock again before the woken waiter runs", () => {
    const { tr } = run('sleep')
    const enters = tr.filter((x) => x.kind === 'cs-enter' && x.cs === 'mutex').map((x) => x.vcpu)
    let repeats = 0
    for (let i = 1; i < enters.length; i++) if (enters[i] === enters[i - 1]) repeats++
    expect(repeats).toBeGreaterThan(0)
  })

  it("'sleep' (fs/locks.c since 5.0): the waiter queued behind the one that got the lock is woken and sleeps again; never with a single waiter", () => {
    const sleepRun = (vcpus: number) => runTraced(tinyScenario({ pcpus: vcpus, vms: [{ vcpus, workload: oneSection('mutex', 20_000, 5_000, { waiters: 'sleep' }) }], durationNs: 20_000_000 }), 1_000_000).r
    const two = sleepRun(2)
    const four = sleepRun(4)
    expect(two.counters['mutex.sleeps']).toBeGreaterThan(0)
    expect(two.counters['mutex.childWakeups']).toBe(0)
    expect(four.counters['mutex.childWakeups']).toBeGreaterThan(20)
    // each child wake-up ends in another sleep
    expect(four.counters['mutex.sleeps']).toBeGreaterThan(four.counters['mutex.childWakeups'])
  })

  it('rejects waiters on a non-mutex section and conflicting modes on one lock, naming the field', () => {
    expect(() => resolveScenario(tinyScenario({ pcpus: 1, vms: [{ vcpus: 1, workload: oneSection('spinlock', 1000, 1000, { waiters: 'sleep' }) }], durationNs: 1_000_000 }))).toThrow(/vms\.0\.workload\.sections\.0\.waiters.*only for kind 'mutex'/)
    const two = { computeNs: { type: 'fixed' as const, ns: 1000 }, sections: [{ kind: 'mutex' as const, lock: 'L', waiters: 'sleep' as const }, { kind: 'mutex' as const, lock: 'L', waiters: 'handoff' as const }] }
    expect(() => resolveScenario(tinyScenario({ pcpus: 1, vms: [{ vcpus: 1, workload: two }], durationNs: 1_000_000 }))).toThrow(/sections\.1\.waiters/)
    expect(() => resolveScenario(tinyScenario({ pcpus: 1, vms: [{ vcpus: 1, workload: oneSection('mutex', 1000, 1000, { waiters: 'queue' }) }], durationNs: 1_000_000 }))).toThrow(/vms\.0\.workload\.sections\.0\.waiters.*"spin"\|"sleep"\|"handoff"\|"token"/)
  })
})
