/**
 * PV queued spinlock, after Linux 4.13 kernel/locking/qspinlock.c + qspinlock_paravirt.h (x86 KVM guest,
 * CONFIG_PARAVIRT_SPINLOCKS; SPIN_THRESHOLD from arch/x86/include/asm/spinlock.h, pv_wait/pv_kick from
 * arch/x86/kernel/kvm.c). Lock word modelled as (holder, pending-by-head, MCS tail):
 *
 *   fast path           (free, no queue)                -> (holder=me)
 *   slowpath, PV        goto queue (the pending-bit path is skipped under pv_enabled())
 *   steal               pv_hybrid_queued_unfair_trylock: lock free and the head is not actively
 *                       spinning (pending clear) -> take it, at most once per slowpath entry
 *   queue               append an MCS node; the first node is the head
 *   non-head            pv_wait_node: spin on node->locked up to SPIN_THRESHOLD iterations, checking
 *                       every PV_PREV_CHECK_MASK+1 iterations whether the predecessor is halted or its vCPU
 *                       preempted (vcpu_is_preempted) -> "wait early"; then pv_wait (HLT)
 *   head                pv_wait_head_or_lock: set pending, spin SPIN_THRESHOLD iterations on the lock
 *                       word, then clear pending, hash the node and pv_wait until kicked
 *   head acquires       dequeue; pass MCS ownership to the next node (node->locked = 1); if that node is
 *                       halted, pv_kick_node only marks it `hashed`: it is kicked at the next unlock
 *   unlock              head spinning on a running vCPU -> it takes the lock after a cache-line
 *                       transfer; head halted/hashed -> pv_kick (hypercall, vCPU wakeup latency), the
 *                       lock stays free meanwhile (stealable); head descheduled while spinning ->
 *                       lock free but pending set: nobody can steal, everybody waits for the head's
 *                       vCPU to run again (lock-waiter preemption).
 *
 * Deviations: spinning is an interval (events only at hand-off, SPIN_THRESHOLD expiry, wait-early
 * check points and PLE exits), not per-iteration; the wait-early check fires at the next 256-iteration
 * boundary after the predecessor became blocked; the double-count of slowpath acquisitions in the
 * released eCS patch (ecs-model.md §2.6) is not reproduced (count = sections held);
 *
 * Without pvSpinlocks (CONFIG_PARAVIRT_SPINLOCKS off, or a hypervisor without PV_UNHALT such as QEMU TCG)
 * a guest never queues: queued_spin_lock_slowpath() calls virt_spin_lock() first, which on any CPU with
 * X86_FEATURE_HYPERVISOR (QEMU sets the CPUID bit for every CPU model, TCG included) is a test-and-set
 * lock, "because fair locks have horrible lock 'holder' preemption issues" (arch/x86/include/asm/
 * qspinlock.h: 4.13 checks static_cpu_has(X86_FEATURE_HYPERVISOR), 4.14+ and 6.1 the
 * virt_spin_lock_key that native_pv_lock_init() clears only on bare metal):
 *
 *   virt_spin_lock      do { while (lock->val != 0) cpu_relax(); } while (cmpxchg(lock->val, 0, LOCKED) != 0)
 *
 * Modelled as: a free lock goes to whoever looks first (a new arrival on its fast path, or a spinner
 * whose vCPU runs again); at unlock the lock goes to a spinner whose vCPU is executing, else stays free
 * (no queue, so no waiter convoy behind a descheduled head). Deviation: among several executing
 * spinners the one that started spinning first wins the cmpxchg race (hardware: arbitrary).
 */
import * as lockHost from './lock-host'
import { type LockHost } from './lock-host'
import { F_QSPIN, type LockBase, type Task } from '../guest/entities'
import * as counters from '../metrics/counters'

const { ACQ_OK, ACQ_SPIN } = lockHost
const { C } = counters

export class PvQspinlock implements LockBase {
  readonly family = F_QSPIN
  readonly id: number
  readonly name: string
  holder: Task | null = null
  head: Task | null = null
  tail: Task | null = null
  /** virt_spin_lock mode (no PV spinlocks): the test-and-set spinners, in the order they started. */
  private readonly tasSpinners: Task[] = []
  constructor(id: number, name: string) {
    this.id = id
    this.name = name
  }

  /** Pending bit: the head is in its spin loop on a vCPU that has run since it became head. */
  private pendingSet(): boolean {
    const h = this.head
    return h !== null && h.headSpinning && !h.nodeHalted
  }

  acquire(sim: LockHost, t: Task): number {
    if (this.holder === null && this.head === null) {
      this.holder = t
      return ACQ_OK
    }
    sim.cnt[C['pvlock.slowpath']]++
    if (!sim.pvSpinlocks) {
      // virt_spin_lock: test-and-set, no MCS node (the head === null test above always holds here)
      this.tasSpinners.push(t)
      return ACQ_SPIN
    }
    if (sim.pvSpinlocks && this.holder === null && !this.pendingSet()) {
      sim.cnt[C['pvlock.steals']]++
      this.holder = t
      return ACQ_OK
    }
    // queue: 0,0,* -> tail=me
    t.inQueue = true
    t.qnext = null
    t.qprev = this.tail
    t.isHead = this.head === null
    t.headSpinning = false
    t.nodeHalted = false
    if (this.tail) this.tail.qnext = t
    else this.head = t
    this.tail = t
    return ACQ_SPIN
  }

  /** The executing waiter looks at the lock word / its node. Returns ACQ_OK if it took the lock. */
  onSpin(sim: LockHost, t: Task): number {
    if (this.holder === t) return ACQ_OK // handed over while it was not looking
    if (!sim.pvSpinlocks) {
      // atomic_read(&lock->val) == 0 -> cmpxchg succeeds
      if (this.holder !== null) return ACQ_SPIN
      this.holder = t
      removeTask(this.tasSpinners, t)
      return ACQ_OK
    }
    if (t.isHead) {
      if (this.holder === null) {
        this.takeAsHead(sim, t)
        return ACQ_OK
      }
      t.headSpinning = true
    }
    return ACQ_SPIN
  }

  /** Predecessor halted or its vCPU descheduled (pv_wait_early condition). */
  predecessorBlocked(t: Task): boolean {
    const p = t.qprev
    return p !== null && (p.nodeHalted || p.home.stPreempted === 1)
  }

  /** pv_wait: the waiter halts (head: clear pending + hash). */
  pvWait(t: Task): void {
    t.nodeHalted = true
    t.headSpinning = false
  }

  /** Back from pv_wait (kicked or spurious): node state running again. */
  pvWoken(sim: LockHost, t: Task): number {
    t.nodeHalted = false
    return this.onSpin(sim, t)
  }

  private takeAsHead(sim: LockHost, t: Task): void {
    // head: *,*,tail -> locked by me; pass the MCS node to the successor
    this.holder = t
    const n = t.qnext
    t.inQueue = false
    t.isHead = false
    t.headSpinning = false
    t.qnext = null
    t.qprev = null
    this.head = n
    if (n === null) this.tail = null
    else {
      n.qprev = null
      n.isHead = true
      // A halted successor stays halted (vcpu_hashed): it is kicked at the next unlock.
      if (!n.nodeHalted && sim.executing(n)) sim.respin(n)
    }
  }

  release(sim: LockHost, t: Task): void {
    this.holder = null
    if (!sim.pvSpinlocks) {
      // queued_spin_unlock: the first executing spinner's cmpxchg wins; descheduled spinners find it
      // taken or free whenever their vCPU runs again (onSpin)
      const w = this.tasSpinners
      for (let i = 0; i < w.length; i++) {
        const x = w[i]
        if (sim.executing(x) && x.spinSince >= 0) {
          this.holder = x
          w.splice(i, 1)
          sim.grant(x)
          return
        }
      }
      return
    }
    const h = this.head
    if (h === null) return
    if (h.nodeHalted) {
      // _Q_SLOW_VAL: __pv_queued_spin_unlock_slowpath -> pv_kick(node->cpu)
      sim.cnt[C['pvlock.kicks']]++
      sim.kick(h, t)
      return
    }
    if (sim.executing(h) && h.spinSince >= 0) {
      this.takeAsHead(sim, h)
      sim.grant(h)
    }
    // else: the head is descheduled or in an interrupt: the lock stays free until it looks again.
  }

  /** Successor of `t` in the MCS queue (for wait-early notifications). */
  successor(t: Task): Task | null {
    return t.inQueue ? t.qnext : null
  }
}

function removeTask(a: Task[], t: Task): void {
  const i = a.indexOf(t)
  if (i >= 0) a.splice(i, 1)
}
