/**
 * Built-in scenarios. Layouts follow ecs-model.md §5.4: an 80-pCPU host (ASSUMPTION 8 sockets x 10
 * cores, 2.4 GHz), under-commit = 1 VM x 80 vCPUs, over-commit = N VMs x 80 vCPUs, unpinned; the
 * paper's exact layouts are UNKNOWN, so commit ratios 1x-4x are offered for scans.
 * The presets run the `spinlock-heavy` workload (override with vms.N.workload), except
 * `overcommit-2x-mixed`, which runs `mixed-kernel` (spinlocks, mutexes, rwsems, RCU, IRQs and IPIs at once):
 * the richest over-committed case to look at in the timeline (tens of in-CS preemptions per ms).
 */
import type { ScenarioInput, ScenarioPresetInfo } from '../../shared/scenario'

interface ScenarioPreset extends Omit<ScenarioPresetInfo, 'durationNs'> { scenario: ScenarioInput }

function overcommit(id: string, nVms: number, title: string, workload = 'spinlock-heavy'): ScenarioPreset {
  return {
    id,
    title,
    description: `${nVms} VM(s) x 80 vCPUs on 80 pCPUs (${nVms}x commit), unpinned, ${workload}, 1 s.`,
    commitRatio: nVms,
    scenario: {
      name: id,
      host: { pcpus: 80 },
      vms: Array.from({ length: nVms }, (_, i) => ({ name: `vm${i}`, vcpus: 80, workload })),
      durationNs: 1_000_000_000,
      policy: { id: 'kvm', params: {} }
    }
  }
}

export const SCENARIO_PRESETS: ScenarioPreset[] = [
  {
    id: 'quick',
    title: 'Quick smoke run',
    description: '4 pCPUs, 2 VMs x 4 vCPUs (2x commit), spinlock-heavy, 20 ms. Runs in well under a second.',
    commitRatio: 2,
    scenario: {
      name: 'quick',
      host: { pcpus: 4, sockets: 1 },
      vms: [
        { name: 'vm0', vcpus: 4, workload: 'spinlock-heavy' },
        { name: 'vm1', vcpus: 4, workload: 'spinlock-heavy' }
      ],
      durationNs: 20_000_000,
      warmupNs: 2_000_000,
      sampleIntervalNs: 1_000_000,
      policy: { id: 'kvm', params: {} }
    }
  },
  overcommit('undercommit-1x', 1, 'Under-committed 1x'),
  overcommit('overcommit-1.5x', 1.5, 'Over-committed 1.5x'),
  overcommit('overcommit-2x', 2, 'Over-committed 2x'),
  overcommit('overcommit-2x-mixed', 2, 'Over-committed 2x, mixed kernel work', 'mixed-kernel'),
  overcommit('overcommit-3x', 3, 'Over-committed 3x'),
  overcommit('overcommit-4x', 4, 'Over-committed 4x')
]

// 1.5x: one 80-vCPU VM plus one 40-vCPU VM.
{
  const p = SCENARIO_PRESETS.find((s) => s.id === 'overcommit-1.5x')!
  p.description = '1 VM x 80 vCPUs + 1 VM x 40 vCPUs on 80 pCPUs (1.5x commit), unpinned, spinlock-heavy, 1 s.'
  p.scenario.vms = [
    { name: 'vm0', vcpus: 80, workload: 'spinlock-heavy' },
    { name: 'vm1', vcpus: 40, workload: 'spinlock-heavy' }
  ]
}

export function findScenarioPreset(id: string): ScenarioInput | undefined {
  const p = SCENARIO_PRESETS.find((s) => s.id === id)
  return p ? structuredCloneJson(p.scenario) : undefined
}

export function scenarioCatalog(): ScenarioPresetInfo[] {
  return SCENARIO_PRESETS.map(({ id, title, description, commitRatio, scenario }) => ({ id, title, description, commitRatio, durationNs: scenario.durationNs ?? 1_000_000_000 }))
}

function structuredCloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T
}
