import { z } from 'zod'
import { invoke } from './define'

export interface AppInfo {
  /** eCS Lab version (package.json). */
  version: string
  /** src/sim ENGINE_VERSION: results are comparable only within one engine version. */
  engineVersion: string
  /** 'electron' when hosted by the desktop shell, 'web' when served by the loopback harness. */
  host: 'electron' | 'web'
}

export const appChannels = {
  'app:info': invoke<AppInfo>()(z.tuple([]))
} as const
