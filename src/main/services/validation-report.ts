/**
 * The app's side of validation (the `validation:report` channel): the stored report only. Running a
 * comparison is the command line's job (`ecs-lab validate`, src/main/services/validation.ts).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ValidationReportSchema } from '../../shared/validation'
import { ApiError, type Handlers } from '../../shared/ipc'
import type { ValidationReportInfo } from '../../shared/ipc/validation'

/**
 * The stored report the app shows: docs/validation.json next to the app (source tree under tsx, the
 * package root in a build; electron-builder.yml packs docs/validation.json), checked with zod.
 */
export function storedValidationReport(candidates = ['../../../docs/validation.json', '../../docs/validation.json', '../docs/validation.json'].map((r) => join(__dirname, r))): ValidationReportInfo {
  for (const p of candidates) {
    if (!existsSync(p)) continue
    const parsed = ValidationReportSchema.safeParse(JSON.parse(readFileSync(p, 'utf8')))
    if (!parsed.success) throw new ApiError(`${p}: not a validation report (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`, 'internal', 'ValidationReportError')
    return { report: parsed.data, source: 'docs/validation.json' }
  }
  return { report: null, source: 'no docs/validation.json: run `ecs-lab validate --out docs`' }
}

export function validationHandlers(): Pick<Handlers, 'validation:report'> {
  return { 'validation:report': () => storedValidationReport() }
}

