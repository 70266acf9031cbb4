/**
 * Policy `pmtlock`: prior-work comparison (ecs-model.md §4.3). Stock KVM host (PLE + directed yield, no
 * veto, no annotation) with a guest whose spinlocks are preemptable ticket spinlocks (Ouyang & Lange,
 * VEE'13; src/sim/locks/pmtlock.ts) instead of PV qspinlock: waiters spin (no pv_wait), and a waiter
 * whose turn does not come within distance x TIMEOUT_UNIT (2^14) spins takes the lock out of order,
 * which lets waiters pass a preempted waiter (LWP) and bounds the damage of a preempted holder's queue.
 * Sleeping locks, RCU and IPIs are stock.
 */
import type { PolicyDef } from './types'
import { kvmParams, makeStockPolicy } from './kvm'

export const pmtlockPolicy: PolicyDef = {
  id: 'pmtlock',
  title: 'Preemptable ticket spinlocks (VEE\'13) on stock KVM',
  description: 'Guest spinlocks are preemptable ticket locks (FIFO, out-of-order after distance x 2^14 spins); no pv_wait; host stock KVM with PLE.',
  paramsSchema: kvmParams,
  create: (_params, ctx) => ({ ...makeStockPolicy('pmtlock', ctx.pleGap > 0), spinlock: 'pmtlock' })
}
