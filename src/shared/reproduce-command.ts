/**
 * The `ecs-lab` command line (and scenario JSON file) that reproduces a stored run (pure). Every run
 * surface (Saved runs detail, Compare) shows it with a Copy button. The file holds the stored, fully
 * resolved scenario without its policy and seed; the command names them: `--policy ID --seed N` and one
 * `--set policy.params.KEY=JSON` per parameter (every resolved parameter, not only the non-default ones,
 * so the run reproduces even if a default changes in a later engine). `ecs-lab run` applies --policy
 * (which resets the parameters), then --seed, then each --set in order (src/cli/commands/run.ts), so
 * resolving what the command reads gives back the stored scenario; tests/unit/reproduce-command.test.ts
 * checks that through the real command-line parser.
 */
import type { Scenario } from './scenario'

export interface ReproduceInput {
  /** Run id (its prefix names the scenario file). */
  id: string
  /** The stored (resolved) scenario. */
  scenario: Scenario | Record<string, unknown>
  policy: string
  policyParams: Record<string, unknown>
  seed: number
}

export interface Reproduction {
  /** Suggested file name for the scenario JSON: `run-<id prefix>.json`. */
  fileName: string
  /** The scenario file's text (pretty JSON, policy and seed left to the command). */
  scenarioJson: string
  /** Arguments after `ecs-lab`. */
  args: string[]
  /** The command line, quoted for a POSIX shell. */
  command: string
  /** A shell script that writes the file and runs the command (what "Copy as script" copies). */
  script: string
}

const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/
const SAFE_WORD = /^[A-Za-z0-9@%+=:,./_-]+$/

/** Quote one word for a POSIX shell (single quotes; a quote inside becomes '\''). */
export function shellQuote(word: string): string {
  if (word !== '' && SAFE_WORD.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}

export function reproduceCommand(run: ReproduceInput): Reproduction {
  const { policy: _policy, seed: _seed, ...rest } = run.scenario as Record<string, unknown>
  const params = run.policyParams ?? {}
  const keys = Object.keys(params).sort()
  const fileName = `run-${run.id.slice(0, 12)}.json`
  const args = ['run', fileName, '--policy', run.policy, '--seed', String(run.seed)]
  let file: Record<string, unknown> = rest
  if (keys.every((k) => SAFE_KEY.test(k))) {
    for (const k of keys) if (params[k] !== undefined) args.push('--set', `policy.params.${k}=${JSON.stringify(params[k])}`)
  } else {
    // a parameter name --set cannot address (a dot, a space): the file carries the policy instead
    file = { ...rest, policy: { id: run.policy, params } }
    args.splice(2, 2)
  }
  const scenarioJson = JSON.stringify(file, null, 2)
  const command = ['ecs-lab', ...args].map(shellQuote).join(' ')
  const script = `cat > ${shellQuote(fileName)} <<'ECS_LAB_SCENARIO'\n${scenarioJson}\nECS_LAB_SCENARIO\n${command}\n`
  return { fileName, scenarioJson, args, command, script }
}
