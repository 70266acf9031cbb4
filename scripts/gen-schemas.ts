/**
 * Generate schemas/scenario.schema.json and schemas/result.schema.json from the zod schemas in
 * src/shared (z.toJSONSchema). `npx tsx scripts/gen-schemas.ts` writes them; `--check` exits 1 if the
 * committed files are stale. src/shared/schemas.test.ts runs the same comparison via renderSchemas().
 */
import { writeFileSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { ScenarioInputSchema } from '../src/shared/scenario'
import { SimResultSchema } from '../src/shared/result'

export function renderSchemas(): Record<string, string> {
  const scenario = z.toJSONSchema(ScenarioInputSchema, { io: 'input', unrepresentable: 'any' })
  const result = z.toJSONSchema(SimResultSchema, { io: 'output', unrepresentable: 'any' })
  const wrap = (title: string, id: string, s: object) => JSON.stringify({ $id: id, title, ...s }, null, 2) + '\n'
  return {
    'scenario.schema.json': wrap('eCS Lab scenario', 'https://ecs-lab.local/schemas/scenario.schema.json', scenario),
    'result.schema.json': wrap('eCS Lab simulation result', 'https://ecs-lab.local/schemas/result.schema.json', result)
  }
}

function main(): void {
  const root = join(__dirname, '..')
  const check = process.argv.includes('--check')
  let stale = false
  for (const [file, text] of Object.entries(renderSchemas())) {
    const path = join(root, 'schemas', file)
    const old = existsSync(path) ? readFileSync(path, 'utf8') : ''
    if (old !== text) {
      stale = true
      if (!check) writeFileSync(path, text)
      process.stdout.write(`${check ? 'stale' : 'wrote'} schemas/${file}\n`)
    }
  }
  if (check && stale) process.exitCode = 1
}

if (typeof require !== 'undefined' && require.main === module) main()
