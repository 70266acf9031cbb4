/**
 * `ecs-lab`: the command line for offline experiments. Parsing is commander's; every subcommand
 * registers itself from src/cli/commands. Errors are printed as one readable line and exit non-zero.
 */
import { Command, CommanderError } from 'commander'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { commandLoaders, loadCommands } from './commands/index'

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }
  return pkg.version
}

/**
 * The subcommands `argv` needs: the one it names (its first word, when that is a command), else all
 * (top-level help, an unknown command: commander then lists or suggests them). `--version` alone needs none.
 */
export function commandsFor(argv: readonly string[]): string[] {
  const first = argv[0]
  if (first !== undefined && Object.hasOwn(commandLoaders, first)) return [first]
  if (argv.length === 1 && (first === '-V' || first === '--version')) return []
  return Object.keys(commandLoaders)
}

export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command()
  program
    .name('ecs-lab')
    .description('eCS Lab: simulate an 80-core KVM host, baseline KVM vs eCS (USENIX ATC 2018), and keep experiments in SQLite.')
    .version(packageVersion(), '-V, --version', 'print the eCS Lab version')
    .showHelpAfterError()
    .exitOverride()
  for (const register of await loadCommands(argv ? commandsFor(argv) : undefined)) register(program)
  return program
}

export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv)
    await program.parseAsync(argv, { from: 'user' })
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help / --version exit with 0 through commander's override; parse errors are already printed.
      return err.exitCode
    }
    const message = err instanceof Error ? err.message : String(err)
    process.stderr.write(`ecs-lab: ${message}\n`)
    return 1
  }
}
