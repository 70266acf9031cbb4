/** Preemptable ticket spinlock (VEE'13): FIFO hand-off, timeout fallback past a preempted waiter. */
import { describe, expect, it } from 'vitest'
import { PmtLock, type PmtHost } from './pmtlock'
import { ACQ_OK, ACQ_SPIN } from './lock-host'
import type { Task } from '../guest/entities'
import { N_COUNTERS, C } from '../metrics/counters'
import { resolveScenario } from '../scenario/resolve'
import { Simulation } from '../engine'
import { tinyScenario } from '../testing/build'

function host(running: Set<Task>) {
  const granted: Task[] = []
  const rearmed: [Task, number][] = []
  const h = {
    now: 0,
    cnt: new Float64Array(N_COUNTERS),
    pvSpinlocks: false,
    executing: (t: Task) => running.has(t),
    ownerOnCpu: (t: Task) => running.has(t),
    grant: (t: Task) => { granted.push(t) },
    wakeTask: () => {},
    kick: () => {},
    respin: () => {},
    policySpins: () => false,
    pmtRearm: (t: Task, b: number) => { rearmed.push([t, b]); t.spinBudgetNs = b }
  }
  return { h: h as unknown as PmtHost, granted, rearmed }
}

const task = (id: number) => ({ id, spinSince: 0, spinBudgetNs: 0 }) as unknown as Task

describe('pmtlock', () => {
  it('hands the lock to the head ticket in FIFO order', () => {
    const [a, b, c] = [task(1), task(2), task(3)]
    const { h, granted } = host(new Set([b, c]))
    const l = new PmtLock(0, 'L', 100_000)
    expect(l.acquire(h, a)).toBe(ACQ_OK)
    expect(l.acquire(h, b)).toBe(ACQ_SPIN)
    expect(l.acquire(h, c)).toBe(ACQ_SPIN)
    expect(b.spinBudgetNs).toBe(Infinity) // the head waits for its turn
    expect(c.spinBudgetNs).toBe(100_000) // distance 1 x TIMEOUT_UNIT
    l.release(h, a)
    expect(l.holder).toBe(b)
    expect(granted).toEqual([b])
  })

  it('a waiter whose timeout expires passes a preempted head waiter (test-and-set fallback)', () => {
    const [a, b, c] = [task(1), task(2), task(3)]
    const running = new Set([c]) // b (the head) is preempted
    const { h, granted, rearmed } = host(running)
    const l = new PmtLock(0, 'L', 100_000)
    l.acquire(h, a)
    l.acquire(h, b)
    l.acquire(h, c)
    l.release(h, a)
    expect(l.holder).toBe(null) // the head is not running and nobody timed out yet: the lock stays free
    expect(l.onSpin(h, c)).toBe(ACQ_SPIN) // c is not eligible before its timeout
    expect(l.onTimeout(h, c)).toBe(ACQ_OK) // timeout: takes it out of order
    expect(l.holder).toBe(c)
    expect(h.cnt[C['pmtlock.timeouts']]).toBe(1)
    expect(h.cnt[C['pmtlock.outOfOrder']]).toBe(1)
    expect(l.queue).toEqual([b])
    // b runs again and gets its turn at the next unlock
    running.add(b)
    l.release(h, c)
    expect(l.holder).toBe(b)
    expect(granted).toEqual([b])
    expect(rearmed.length).toBe(0) // nobody left behind b
  })

  it('the head advancing restarts the others\' timeouts with their new distance', () => {
    const [a, b, c, d] = [task(1), task(2), task(3), task(4)]
    const { h, rearmed } = host(new Set([b, c, d]))
    const l = new PmtLock(0, 'L', 100_000)
    for (const t of [a, b, c, d]) l.acquire(h, t)
    l.release(h, a)
    expect(l.holder).toBe(b)
    expect(rearmed).toEqual([[c, Infinity], [d, 100_000]])
  })

  it('runs in the engine under policy pmtlock: no pv_wait, invariants hold', () => {
    const input = tinyScenario({ pcpus: 2, vms: [{ vcpus: 2, workload: 'spinlock-heavy' }, { vcpus: 2, workload: 'spinlock-heavy' }], durationNs: 50_000_000, policy: 'pmtlock' })
    const sim = new Simulation(resolveScenario(input), 't')
    for (let t = 5_000_000; t <= 50_000_000; t += 5_000_000) {
      sim.runUntil(t)
      sim.checkInvariants()
    }
    const r = sim.result()
    expect(r.counters['lock.acquisitions']).toBeGreaterThan(1000)
    expect(r.counters['pvlock.halts']).toBe(0)
    expect(r.vms[0].ops + r.vms[1].ops).toBeGreaterThan(0)
  })
})
