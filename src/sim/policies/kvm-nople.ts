/**
 * Policy `kvm-nople`: the `kvm` baseline with Pause-Loop Exiting disabled (ple_gap=0, arch/x86/kvm/vmx.c:
 * "ple_gap=0 disables PLE"), so spinning vCPUs never exit and never directed-yield; PV qspinlock
 * halting (pv_wait after SPIN_THRESHOLD) remains the only relief.
 */
import type { PolicyDef } from './types'
import { kvmParams, makeStockPolicy } from './kvm'

export const kvmNoplePolicy: PolicyDef = {
  id: 'kvm-nople',
  title: 'KVM baseline without PLE (ple_gap=0)',
  description: 'Stock KVM with Pause-Loop Exiting off: spinners burn their slice; pv_wait still halts after SPIN_THRESHOLD.',
  paramsSchema: kvmParams,
  create: () => makeStockPolicy('kvm-nople', false)
}
