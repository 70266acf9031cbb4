import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderSchemas } from '../../scripts/gen-schemas'

describe('committed JSON Schemas', () => {
  it('match the zod schemas (run `npx tsx scripts/gen-schemas.ts` after changing src/shared)', () => {
    for (const [file, text] of Object.entries(renderSchemas())) {
      const committed = readFileSync(join(__dirname, '../../schemas', file), 'utf8')
      expect(committed, `schemas/${file} is stale`).toBe(text)
    }
  })
})
