/**
 * Regime meters (issue 11: every result shows its regime, so a reader can tell a CPU-over-committed
 * point from an idle one): how many host ticks find more than one runnable entity on their pCPU's
 * runqueue (the only ticks at which check_preempt_tick can preempt anything), and per VM how many of
 * its vCPU threads are on a pCPU at once (host state RUNNING: executing guest code, in an exit stall or
 * halt polling), time-weighted. Read-only with respect to the model: updated at events that happen
 * anyway (ticks, vCPU load / put) and never schedules, cancels or reorders anything.
 */
export class RegimeMeter {
  /** pCPU ticks (one per pCPU per host tick). */
  tickSlots = 0
  /** pCPU ticks whose runqueue had nr_running > 1. */
  multiRunnableTicks = 0
  /** Per VM: vCPUs currently RUNNING. */
  readonly running: Int32Array
  /** Per VM: ns spent with k vCPUs RUNNING, k = 0..vcpus. */
  readonly coRunNs: Float64Array[]
  /** Per VM: time up to which coRunNs is accounted. */
  private readonly lastNs: Float64Array

  constructor(vcpusPerVm: readonly number[]) {
    this.running = new Int32Array(vcpusPerVm.length)
    this.coRunNs = vcpusPerVm.map((n) => new Float64Array(n + 1))
    this.lastNs = new Float64Array(vcpusPerVm.length)
  }

  /** A vCPU of `vm` starts (d = 1) or stops (d = -1) running at `now`. */
  runChange(vm: number, d: number, now: number): void {
    const k = this.running[vm]
    this.coRunNs[vm][k] += now - this.lastNs[vm]
    this.lastNs[vm] = now
    this.running[vm] = k + d
  }

  /** Account every VM's current count up to `now` (before a snapshot or the result). */
  flush(now: number): void {
    for (let vm = 0; vm < this.running.length; vm++) this.runChange(vm, 0, now)
  }

  snapshot(): { tickSlots: number; multiRunnableTicks: number; coRunNs: Float64Array[] } {
    return { tickSlots: this.tickSlots, multiRunnableTicks: this.multiRunnableTicks, coRunNs: this.coRunNs.map((a) => a.slice()) }
  }
}
