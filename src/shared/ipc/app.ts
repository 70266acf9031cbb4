import { z } from 'zod'
import { event, invoke } from './define'

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

/**
 * Application-menu actions the renderer carries out (the menu lives in main; what the action does is
 * the UI's business). Standard roles such as copy/paste/reload are handled by Electron itself.
 */
export const menuActions = ['experiment:new', 'run:quick', 'view:experiments', 'view:compare', 'view:settings'] as const
export type MenuAction = (typeof menuActions)[number]

export interface MenuEvent {
  action: MenuAction
}

export const appEvents = {
  /** An application-menu item was chosen: main -> renderer. */
  'app:menu': event<MenuEvent>()
} as const
