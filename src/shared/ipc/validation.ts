import { z } from 'zod'
import { invoke } from './define'
import type { ValidationReport } from '../validation'

export interface ValidationReportInfo {
  /** The stored report of `ecs-lab validate --out docs` (docs/validation.json), or null when there is none. */
  report: ValidationReport | null
  /** Where it was read from (for the page's footnote), or why there is none. */
  source: string
}

export const validationChannels = {
  /** The committed comparison of the simulator with the measured real-guest data set. */
  'validation:report': invoke<ValidationReportInfo>()(z.tuple([]))
} as const
