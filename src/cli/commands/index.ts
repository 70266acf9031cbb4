import type { Command } from 'commander'
import { register as campaign } from './campaign'
import { register as compare } from './compare'
import { register as db } from './db'
import { register as exportCmd } from './export'
import { register as figure } from './figure'
import { register as policies } from './policies'
import { register as presets } from './presets'
import { register as reproduce } from './reproduce'
import { register as run } from './run'
import { register as runs } from './runs'
import { register as validate } from './validate'

/**
 * Every subcommand lives in its own file under src/cli/commands and registers itself here:
 * `export function register(program: Command): void`. Keep this list sorted by command name.
 */
export type RegisterCommand = (program: Command) => void

export const commands: RegisterCommand[] = [campaign, compare, db, exportCmd, figure, policies, presets, reproduce, run, runs, validate]
