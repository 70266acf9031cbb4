/**
 * Where the experiment store lives. The desktop app and the CLI share one database by default: the
 * file `ecs-lab.sqlite` in the app's user-data folder, computed here the way Electron's
 * `app.getPath('userData')` does for an app named `ecs-lab` (appData + name), so the CLI needs no
 * Electron. `--db PATH` and the `ECS_LAB_DB` environment variable override it, in that order.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_NAME = 'ecs-lab'
export const DB_FILE_NAME = 'ecs-lab.sqlite'

/** Electron's appData: %APPDATA% on Windows, ~/Library/Application Support on macOS, $XDG_CONFIG_HOME or ~/.config elsewhere. */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'win32') return env['APPDATA'] || join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support')
  return env['XDG_CONFIG_HOME'] || join(home, '.config')
}

export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  return join(appDataDir(env, platform, home), APP_NAME)
}

/** `--db PATH` > `ECS_LAB_DB` > `<userData>/ecs-lab.sqlite`. */
export function resolveDbPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag && flag.trim() !== '') return flag
  const fromEnv = env['ECS_LAB_DB']
  if (fromEnv && fromEnv.trim() !== '') return fromEnv
  return join(userDataDir(env), DB_FILE_NAME)
}
