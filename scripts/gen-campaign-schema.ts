/**
 * Writes schemas/campaign.schema.json from the zod campaign schema (src/shared/campaign.ts) with
 * zod's own z.toJSONSchema, so editors (VS Code's YAML/JSON support) validate and complete campaign
 * files. `tsx scripts/gen-campaign-schema.ts` regenerates it; `--check` exits 1 if the committed file
 * is stale (tests/unit/store/campaign-schema.test.ts runs the same comparison).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { CampaignSchema } from '../src/shared/campaign'

export const CAMPAIGN_SCHEMA_PATH = join(__dirname, '../schemas/campaign.schema.json')

export function campaignJsonSchema(): string {
  const schema = z.toJSONSchema(CampaignSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
  const out = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...schema
  }
  return JSON.stringify(out, null, 2) + '\n'
}

if (require.main === module) {
  const text = campaignJsonSchema()
  if (process.argv.includes('--check')) {
    let current = ''
    try {
      current = readFileSync(CAMPAIGN_SCHEMA_PATH, 'utf8')
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      process.stderr.write(`${CAMPAIGN_SCHEMA_PATH} is stale: run npx tsx scripts/gen-campaign-schema.ts\n`)
      process.exit(1)
    }
  } else {
    writeFileSync(CAMPAIGN_SCHEMA_PATH, text)
    process.stdout.write(`wrote ${CAMPAIGN_SCHEMA_PATH}\n`)
  }
}
