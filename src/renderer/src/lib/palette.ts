/**
 * Colour-blind-safe categorical palette (Okabe & Ito, 2008), used for VMs in the host picture and for
 * series in charts, so a VM has the same colour everywhere.
 */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const

/** Colour of the i-th VM / series (cycles after eight). */
export function colorAt(i: number): string {
  return OKABE_ITO[((i % OKABE_ITO.length) + OKABE_ITO.length) % OKABE_ITO.length]
}
