import type { Command } from 'commander'

/**
 * Every subcommand lives in its own file under src/cli/commands and registers itself here:
 * `export function register(program: Command): void`. Keep this list sorted by command name.
 */
export type RegisterCommand = (program: Command) => void

export const commands: RegisterCommand[] = []
