import { z } from 'zod'
import { invoke } from './define'
import type { SimResult } from '../result'

export const quickRunArgs = z.object({
  /** Built-in scenario preset id. */
  preset: z.string().min(1).max(100),
  /** Policy id (validated against the engine's registry in main). */
  policy: z.string().min(1).max(100).optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional()
}).strict()

export type QuickRunArgs = z.infer<typeof quickRunArgs>

export const simChannels = {
  /**
   * Runs one small scenario preset in a worker and returns its result. Not stored: the smoke test
   * of the whole stack and the first thing a new user clicks.
   */
  'sim:runQuick': invoke<SimResult>()(z.tuple([quickRunArgs]))
} as const
