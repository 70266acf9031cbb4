/**
 * Queued reader-writer spinlock, after Linux 4.13 kernel/locking/qrwlock.c.
 * Readers get in on the fast path when no writer holds or waits (_QW_WMASK clear); writers when the
 * lock is completely free. Otherwise waiters queue FIFO on the internal wait_lock and spin (cpu_relax:
 * PLE applies). The queue head takes the lock when compatible; consecutive readers at the head all get in.
 *
 * Deviations: the internal wait_lock is a qspinlock (so it could pv_wait); here qrwlock waiters only spin,
 * and a queue head whose vCPU is not executing blocks the queue until it runs (acquisition needs the
 * waiter's own cmpxchg), which is the lock-waiter-preemption behaviour of any FIFO lock.
 */
import * as lockHost from './lock-host'
import { type LockHost } from './lock-host'
import { F_QRW, type LockBase, type Task } from '../guest/entities'

const { ACQ_OK, ACQ_SPIN } = lockHost

export class Qrwlock implements LockBase {
  readonly family = F_QRW
  readonly id: number
  readonly name: string
  readers = 0
  writer: Task | null = null
  readonly queue: Task[] = []
  constructor(id: number, name: string) {
    this.id = id
    this.name = name
  }

  acquire(_sim: LockHost, t: Task, write: boolean): number {
    if (this.queue.length === 0 && this.writer === null && (!write || this.readers === 0)) {
      if (write) this.writer = t
      else this.readers++
      return ACQ_OK
    }
    this.queue.push(t)
    return ACQ_SPIN
  }

  /** Let compatible executing waiters at the head in. */
  private poll(sim: LockHost, notifyExcept: Task | null): void {
    const q = this.queue
    while (q.length > 0) {
      const h = q[0]
      if (!sim.executing(h)) break
      if (h.acqWrite) {
        if (this.readers === 0 && this.writer === null) {
          this.writer = h
          q.shift()
          if (h !== notifyExcept) sim.grant(h)
          else h.granted = true
        }
        break
      }
      if (this.writer !== null) break
      this.readers++
      q.shift()
      if (h !== notifyExcept) sim.grant(h)
      else h.granted = true
    }
  }

  onSpin(sim: LockHost, t: Task): number {
    if (t.granted) return ACQ_OK
    this.poll(sim, t)
    return t.granted ? ACQ_OK : ACQ_SPIN
  }

  release(sim: LockHost, _t: Task, write: boolean): void {
    if (write) this.writer = null
    else this.readers--
    this.poll(sim, null)
  }
}
