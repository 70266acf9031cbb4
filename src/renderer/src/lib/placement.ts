/**
 * Where the VMs' vCPUs sit on the host, for the layout designer's picture (pure).
 *
 * Pinned vCPUs go exactly where `pinning` says. Unpinned vCPUs are shown at their *expected spread*:
 * CFS load balancing keeps the runnable vCPU threads evenly spread, which we draw as a round-robin
 * placement over the pCPUs least loaded so far (ties go to the lower pCPU id), after pinned vCPUs
 * have been placed. This is a picture of the steady state, not what the engine decides at run time.
 */
import { defaultSockets } from '../../../shared/scenario'

export interface PlacementVm {
  name: string
  vcpus: number
  pinning?: number[]
}

export interface PlacedVcpu {
  vm: number
  vcpu: number
  pinned: boolean
}

export interface Placement {
  pcpus: number
  sockets: number
  /** vCPUs placed on each pCPU, in placement order. */
  perPcpu: PlacedVcpu[][]
  totalVcpus: number
  /** total vCPUs / pCPUs. */
  commitRatio: number
  /** Largest number of vCPUs sharing one pCPU. */
  maxStack: number
  /** Pinning entries that point outside the host (ignored in the picture). */
  badPins: { vm: number; vcpu: number; pcpu: number }[]
}

/** The engine's default socket count (shared/scenario.ts: one definition for the engine and the designer). */
export { defaultSockets }

export function commitRatio(pcpus: number, vms: readonly { vcpus: number }[]): number {
  const total = vms.reduce((a, v) => a + (Number.isFinite(v.vcpus) ? v.vcpus : 0), 0)
  return pcpus > 0 ? total / pcpus : NaN
}

/** Under-, fully or over-committed, as the paper uses the words. */
export function commitLabel(ratio: number): 'under-committed' | 'fully committed' | 'over-committed' | 'invalid' {
  if (!Number.isFinite(ratio)) return 'invalid'
  if (ratio < 1) return 'under-committed'
  if (ratio === 1) return 'fully committed'
  return 'over-committed'
}

/** Places every vCPU of `vms` on `pcpus` pCPUs (capped for drawing at `maxPcpus`). */
export function placeVcpus(pcpus: number, sockets: number | undefined, vms: readonly PlacementVm[]): Placement {
  const p = Math.max(0, Math.floor(Number.isFinite(pcpus) ? pcpus : 0))
  const s = sockets && sockets > 0 && p % sockets === 0 ? sockets : defaultSockets(p || 1)
  const perPcpu: PlacedVcpu[][] = Array.from({ length: p }, () => [])
  const badPins: Placement['badPins'] = []
  const unpinned: PlacedVcpu[] = []
  vms.forEach((vm, vmIndex) => {
    const n = Math.max(0, Math.floor(Number.isFinite(vm.vcpus) ? vm.vcpus : 0))
    for (let v = 0; v < n; v++) {
      const pin = vm.pinning?.[v]
      if (pin !== undefined && Number.isInteger(pin)) {
        if (pin >= 0 && pin < p) perPcpu[pin].push({ vm: vmIndex, vcpu: v, pinned: true })
        else badPins.push({ vm: vmIndex, vcpu: v, pcpu: pin })
      } else {
        unpinned.push({ vm: vmIndex, vcpu: v, pinned: false })
      }
    }
  })
  if (p > 0) {
    // Round-robin over the least-loaded pCPUs: with nothing pinned this is vCPU i -> pCPU i mod P.
    let cursor = 0
    for (const v of unpinned) {
      let best = -1
      for (let k = 0; k < p; k++) {
        const c = (cursor + k) % p
        if (best < 0 || perPcpu[c].length < perPcpu[best].length) best = c
      }
      perPcpu[best].push(v)
      cursor = (best + 1) % p
    }
  }
  const totalVcpus = vms.reduce((a, v) => a + Math.max(0, Math.floor(Number.isFinite(v.vcpus) ? v.vcpus : 0)), 0)
  return {
    pcpus: p,
    sockets: s,
    perPcpu,
    totalVcpus,
    commitRatio: p > 0 ? totalVcpus / p : NaN,
    maxStack: perPcpu.reduce((m, a) => Math.max(m, a.length), 0),
    badPins
  }
}
