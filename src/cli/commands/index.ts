import type { Command } from 'commander'

/**
 * Every subcommand lives in its own file under src/cli/commands and registers itself with
 * `export function register(program: Command): void`. They are listed here by name and loaded on
 * demand: `ecs-lab run ...` loads run.ts (and the engine it needs) only, `ecs-lab --version` none of
 * them, `ecs-lab --help` all. Keep this list sorted by command name.
 */
export type RegisterCommand = (program: Command) => void

export const commandLoaders: Record<string, () => Promise<RegisterCommand>> = {
  campaign: async () => (await import('./campaign')).register,
  compare: async () => (await import('./compare')).register,
  db: async () => (await import('./db')).register,
  export: async () => (await import('./export')).register,
  figure: async () => (await import('./figure')).register,
  policies: async () => (await import('./policies')).register,
  presets: async () => (await import('./presets')).register,
  reproduce: async () => (await import('./reproduce')).register,
  run: async () => (await import('./run')).register,
  runs: async () => (await import('./runs')).register,
  validate: async () => (await import('./validate')).register
}

/** All of them, in the order above (help lists them so). */
export async function loadCommands(names: readonly string[] = Object.keys(commandLoaders)): Promise<RegisterCommand[]> {
  return Promise.all(names.map((n) => commandLoaders[n]()))
}
