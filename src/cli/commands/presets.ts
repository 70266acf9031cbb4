/** `ecs-lab presets [--json]`: built-in scenarios, workloads and policies. */
import type { Command } from 'commander'
import { listPresets } from '../../sim/index'

export function register(program: Command): void {
  program
    .command('presets')
    .description('list built-in scenarios, workloads and policies')
    .option('--json', 'print the catalog as JSON')
    .action((f: { json?: boolean }) => {
      const c = listPresets()
      if (f.json) {
        process.stdout.write(JSON.stringify(c, null, 2) + '\n')
        return
      }
      const out: string[] = ['scenarios:']
      for (const s of c.scenarios) out.push(`  ${s.id.padEnd(18)} ${String(s.commitRatio).padStart(4)}x  ${s.description}`)
      out.push('', 'workloads:')
      for (const w of c.workloads) out.push(`  ${w.id.padEnd(18)} ${w.description}`)
      out.push('', 'policies:')
      for (const p of c.policies) out.push(`  ${p.id.padEnd(18)} ${p.description}`)
      process.stdout.write(out.join('\n') + '\n')
    })
}
