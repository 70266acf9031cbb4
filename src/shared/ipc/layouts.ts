/**
 * Layouts: named, versioned scenarios the user edits in the app. Every save of a scenario is a new
 * version (old ones stay, and runs point at the version they ran); renaming or describing does not
 * create a version. Scenarios are validated by the engine in main before anything is stored.
 */
import { z } from 'zod'
import { invoke } from './define'
import type { Scenario } from '../scenario'

export const layoutId = z.string().min(1).max(64)
const layoutName = z.string().trim().min(1).max(200)
const scenarioInput = z.record(z.string(), z.json())

export interface LayoutSummary {
  id: string
  name: string
  description: string
  latestVersion: number
  createdAt: number
  updatedAt: number
  /** Runs stored for any version of this layout. */
  runCount: number
}

export interface LayoutVersion {
  version: number
  note: string
  createdAt: number
}

export interface Layout extends LayoutSummary {
  /** The version returned (the latest unless asked otherwise). */
  version: number
  scenario: Scenario
  versions: LayoutVersion[]
}

export const createLayoutArgs = z.object({
  name: layoutName,
  description: z.string().max(4000).default(''),
  /** A scenario input (full or `{preset, ...overrides}`), resolved and validated by the engine. */
  scenario: scenarioInput,
  note: z.string().max(4000).default('')
}).strict()

export const updateLayoutArgs = z.object({
  id: layoutId,
  name: layoutName.optional(),
  description: z.string().max(4000).optional(),
  /** When present, saved as a new version. */
  scenario: scenarioInput.optional(),
  note: z.string().max(4000).default(''),
  /** Optimistic concurrency: fail with 'conflict' if the latest version is no longer this one. */
  expectedVersion: z.number().int().min(1).optional()
}).strict()

export const layoutsChannels = {
  'layouts:list': invoke<LayoutSummary[]>()(z.tuple([])),
  /** A layout with one version's scenario (default: the latest) and the list of versions. */
  'layouts:get': invoke<Layout>()(z.tuple([layoutId, z.number().int().min(1).optional()])),
  'layouts:create': invoke<Layout>()(z.tuple([createLayoutArgs])),
  'layouts:update': invoke<Layout>()(z.tuple([updateLayoutArgs])),
  /** Deletes the layout and its versions; its runs are kept (their layout link is cleared). */
  'layouts:delete': invoke<{ deleted: boolean }>()(z.tuple([layoutId]))
} as const
