import { z } from 'zod'
import { invoke } from './define'
import type { PresetCatalog } from '../scenario'

export const presetsChannels = {
  /** Built-in scenarios and workload profiles, straight from src/sim. */
  'presets:list': invoke<PresetCatalog>()(z.tuple([]))
} as const
