/** `ecs-lab policies [--json]`: the registered host/guest policies with their parameters (zod schema -> JSON Schema). */
import type { Command } from 'commander'
import { policyListing } from '../../main/policies'

export { policyListing, type PolicyListing } from '../../main/policies'

export function register(program: Command): void {
  program
    .command('policies')
    .description('list the host/guest policies (kvm, ecs, ...) and their parameters')
    .option('--json', 'print as JSON (parameters as JSON Schema)')
    .action((f: { json?: boolean }) => {
      const list = policyListing()
      if (f.json) {
        process.stdout.write(JSON.stringify(list, null, 2) + '\n')
        return
      }
      const out: string[] = []
      for (const p of list) {
        out.push(`${p.id}  —  ${p.title}`, `  ${p.description}`)
        const props = (p.params['properties'] ?? {}) as Record<string, { default?: unknown; description?: string; enum?: unknown[]; type?: unknown }>
        const names = Object.keys(props)
        if (names.length === 0) out.push('  params: none')
        for (const n of names) {
          const d = props[n]
          out.push(`  --  ${n} (default ${JSON.stringify(d.default)})${d.description ? `: ${d.description}` : ''}`)
        }
        out.push('')
      }
      process.stdout.write(out.join('\n'))
    })
}
