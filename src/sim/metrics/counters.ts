/**
 * Every named counter the engine maintains, declared once, one line and one comment each
 * (the style of kernel/locking/lock_events_list.h). Hot paths index a Float64Array with the
 * constants in `C`; the result carries them as a flat `{ name: value }` record, warm-up excluded.
 */
export const COUNTER_LIST = [
  ['host.ticks', 'host scheduler ticks taken on a pCPU with a runnable entity (scheduler_tick)'],
  ['host.tickPreemptions', 'reschedules decided by check_preempt_tick (slice used up or vruntime lead)'],
  ['host.wakeupPreemptions', 'reschedules decided by check_preempt_wakeup (woken entity leads by > wakeup_gran)'],
  ['host.contextSwitches', 'host context switches between two different entities'],
  ['host.migrations', 'vCPU threads moved between pCPU runqueues (wake placement or balancing)'],
  ['host.idlePulls', 'runnable threads pulled by an idle or underloaded pCPU (idle/periodic balance)'],
  ['host.vetoChecks', 'ticks where the policy was asked to veto a tick preemption (nr_running > 1)'],
  ['host.vetoFlags', 'ticks where the policy returned veto=1 (kvm_sched_check true)'],
  ['host.vetoes', 'tick preemptions actually avoided by a veto (avoided_preempts)'],
  ['host.vcsTicks', 'ticks that saw steal_time.preempt_count > 0 (eCS debugfs vcs)'],
  ['host.fakeVcsTicks', 'ticks that saw steal_time.fake_preempt_count > 0 (eCS debugfs fake_vcs)'],
  ['host.noiseRuns', 'host noise-task bursts started'],
  ['vcpu.vmExits', 'VM exits of any reason (PLE, HLT, IPI send, kick hypercall)'],
  ['vcpu.exitNs', 'pCPU time spent in exit/entry handling (not guest progress)'],
  ['vcpu.halts', 'HLT exits (guest idle or pv_wait)'],
  ['vcpu.haltPollSuccess', 'halts ended by a wakeup during halt polling (no host block)'],
  ['vcpu.haltBlocks', 'halts that blocked the vCPU thread in the host'],
  ['vcpu.wakeups', 'host wakeups of a blocked vCPU thread (kick, IPI, timer)'],
  ['vcpu.stealNs', 'time vCPUs were runnable but not running (steal time)'],
  ['vcpu.spuriousWakeups', 'vCPU wakeups that found nothing to do and halted again'],
  ['ple.exits', 'PAUSE-loop exits (handle_pause)'],
  ['ple.yieldAttempts', 'yield_to calls from kvm_vcpu_on_spin'],
  ['ple.directedYields', 'successful directed yields (yield_to returned > 0)'],
  ['ple.yieldFailures', 'failed yield_to attempts (target running or both rqs single)'],
  ['ple.noCandidate', 'PAUSE exits that found no eligible preempted vCPU'],
  ['ple.targetPreemptions', 'pCPU current entity rescheduled because a directed-yield target was boosted there'],
  ['lock.acquisitions', 'lock acquisitions, all families'],
  ['lock.contended', 'acquisitions that had to wait (slowpath / queue / sleep)'],
  ['lock.waitNs', 'total time from acquire attempt to acquisition, all families'],
  ['lock.spinNs', 'time waiters spent spinning while their vCPU ran (burnt cycles)'],
  ['lock.holdNs', 'total lock hold time'],
  ['spinlock.waitNs', 'qspinlock wait time'],
  ['pvlock.slowpath', 'qspinlock slowpath entries'],
  ['pvlock.steals', 'lock stealing at slowpath entry (pv_hybrid_queued_unfair_trylock)'],
  ['pvlock.waitEarly', 'pv_wait_node halts because the predecessor was halted or preempted'],
  ['pvlock.halts', 'pv_wait calls after SPIN_THRESHOLD or wait-early'],
  ['pvlock.kicks', 'pv_kick hypercalls at unlock'],
  ['pvlock.spuriousWakeups', 'pv_wait returns without the lock/node being ready'],
  ['rwlock.waitNs', 'qrwlock wait time'],
  ['mutex.waitNs', 'mutex wait time'],
  ['mutex.optSpins', 'mutex optimistic spin attempts (owner running)'],
  ['mutex.spinAcquired', 'mutex acquisitions made while optimistically spinning'],
  ['mutex.ownerPreempted', 'optimistic spins aborted because the owner vCPU was preempted (vcpu_is_preempted)'],
  ['mutex.sleeps', 'mutex waiters that went to sleep'],
  ['mutex.handoffs', 'direct hand-offs to the first waiter (MUTEX_FLAG_HANDOFF)'],
  ['mutex.spinInsteadOfSleep', 'blocked mutex waiters that kept spinning by policy (eCS guest hint)'],
  ['rwsem.waitNs', 'rwsem wait time'],
  ['rwsem.optSpins', 'rwsem writer optimistic spin attempts'],
  ['rwsem.sleeps', 'rwsem waiters that went to sleep'],
  ['rwsem.ownerPreempted', 'writer spins aborted because the owner vCPU was preempted'],
  ['rwsem.spinInsteadOfSleep', 'blocked rwsem writers that kept spinning by policy (eCS guest hint)'],
  ['rcu.readSections', 'rcu_read_lock sections completed'],
  ['rcu.gracePeriods', 'RCU grace periods completed'],
  ['rcu.gpNs', 'summed grace-period durations'],
  ['rcu.syncWaitNs', 'time tasks waited in synchronize_rcu'],
  ['ipi.calls', 'synchronous call-function / TLB-shootdown operations'],
  ['ipi.sent', 'IPIs sent (one per destination)'],
  ['ipi.toPreempted', 'IPIs sent to a vCPU that was runnable-preempted (delivery waits for it to run)'],
  ['ipi.toHalted', 'IPIs that had to wake a halted vCPU'],
  ['ipi.waitNs', 'time senders waited for all acks'],
  ['irq.count', 'interrupts handled (device + IPI)'],
  ['irq.ns', 'time spent in hard-IRQ + softirq context'],
  ['guest.contextSwitches', 'guest task switches'],
  ['guest.idleEntries', 'guest vCPUs entering the idle loop'],
  ['guest.wakeIpis', 'reschedule IPIs sent to wake an idle vCPU'],
  ['guest.sleeps', 'task sleeps (kind=sleep) completed'],
  ['preempt.total', 'involuntary host deschedules of a running vCPU'],
  ['preempt.inCs', 'involuntary deschedules while the guest held an annotated critical section'],
  ['preempt.lockHolder', 'lock-holder preemption: current task held a lock'],
  ['preempt.lockWaiter', 'lock-waiter preemption: current task was waiting/queued for a lock'],
  ['preempt.rcuReader', 'preemption inside rcu_read_lock (RRP)'],
  ['preempt.irq', 'preemption in IRQ/softirq context (ICP)'],
  ['preempt.tick', 'involuntary deschedules caused by the tick'],
  ['preempt.wakeup', 'involuntary deschedules caused by wakeup preemption'],
  ['preempt.yieldTarget', 'involuntary deschedules caused by a directed yield to another vCPU'],
  ['preempt.yieldSelf', 'voluntary deschedules of a spinning vCPU after a directed yield'],
  ['preempt.inCsTick', 'in-CS preemptions decided by the tick (the only path the eCS veto covers)'],
  ['preempt.inCsWakeup', 'in-CS preemptions by wakeup preemption (residual path: eCS does not veto check_preempt_wakeup)'],
  ['preempt.inCsYield', 'in-CS preemptions of a directed-yield target pCPU\'s current vCPU (residual path: yield_to)'],
  ['preempt.inCsBlock', 'vCPU threads that blocked in the host (halt) while their guest held a CS or lock (residual path: blocking)'],
  ['bww.idleWakeups', 'blocked lock waiters woken while their vCPU was idle (polling or halted): blocked-waiter wakeups'],
  ['bww.hostWakeups', '... of those, vCPU thread blocked in the host (needs a host wakeup + VM entry)'],
  ['vcpu.runnableWaits', 'sched-ins of a vCPU after a runnable wait (denominator for vcpu.stealNs)'],
  ['veto.extendedStints', 'run stints that went past a tick preemption because of a veto'],
  ['veto.extraRunNs', 'run time from the first avoided tick preemption to sched-out, summed (extra time granted by vetoes)'],
  ['veto.paybackWaits', 'runnable waits that directly followed a veto-extended stint'],
  ['pmtlock.timeouts', 'pmtlock waiters whose timeout (distance x TIMEOUT_UNIT spins) expired: they may now take the lock out of order'],
  ['pmtlock.outOfOrder', 'pmtlock acquisitions by a timed-out waiter that was not at the head (FIFO given up)'],
  ['veto.paybackWaitNs', '... their summed wait: CFS repays the extra run time through the higher vruntime']
] as const

export type CounterName = (typeof COUNTER_LIST)[number][0]

/** Index of each counter: C['ple.exits'] -> number. */
export const C = Object.fromEntries(COUNTER_LIST.map(([n], i) => [n, i])) as { readonly [K in CounterName]: number }

export const N_COUNTERS = COUNTER_LIST.length

export function countersToRecord(values: Float64Array, base?: Float64Array): Record<string, number> {
  const out: Record<string, number> = {}
  for (let i = 0; i < N_COUNTERS; i++) out[COUNTER_LIST[i][0]] = Math.round(values[i] - (base ? base[i] : 0))
  return out
}
