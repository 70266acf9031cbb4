/**
 * A host's size as every table and auto-name shows it (issue 15: two experiments on an 80- and an
 * 8-pCPU host must not look alike): `80 pCPUs · 2×80 vCPUs`, or per VM when they differ
 * (`8 pCPUs · 4+4+8 vCPUs`). Pure: shared by the store (run summaries) and the renderer.
 */
export interface HostShape {
  pcpus: number
  /** vCPUs of each VM, in order. */
  vcpus: number[]
}

export function hostLabel(h: HostShape): string {
  const v = h.vcpus
  const vms = v.length === 0 ? 'no VMs' : v.every((x) => x === v[0]) ? `${v.length}×${v[0]} vCPUs` : `${v.join('+')} vCPUs`
  return `${h.pcpus} pCPU${h.pcpus === 1 ? '' : 's'} · ${vms}`
}

/** The host shape of a (resolved or stored) scenario object; null when it has none. */
export function hostShapeOf(scenario: unknown): HostShape | null {
  if (typeof scenario !== 'object' || scenario === null) return null
  const s = scenario as { host?: { pcpus?: unknown }; vms?: unknown }
  if (typeof s.host?.pcpus !== 'number' || !Array.isArray(s.vms)) return null
  return { pcpus: s.host.pcpus, vcpus: s.vms.map((vm) => (typeof vm === 'object' && vm !== null && typeof (vm as { vcpus?: unknown }).vcpus === 'number' ? (vm as { vcpus: number }).vcpus : 0)) }
}
