/**
 * The reproduce command every run shows (src/shared/reproduce-command.ts): what the real `ecs-lab run`
 * parser reads from that command and its scenario file resolves to the stored scenario, bit for bit.
 */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildProgram } from '../../src/cli/main'
import { buildScenarioInput } from '../../src/cli/commands/run'
import { findScenarioPreset, resolveScenario } from '../../src/sim/index'
import { reproduceCommand, shellQuote } from '../../src/shared/reproduce-command'
import type { Scenario } from '../../src/shared/scenario'

/** POSIX shell words of a command made of plain and single-quoted words (all shellQuote emits). */
function shellWords(cmd: string): string[] {
  const out: string[] = []
  let cur = ''
  let inWord = false
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i]!
    if (c === "'") {
      const end = cmd.indexOf("'", i + 1)
      cur += cmd.slice(i + 1, end)
      i = end
      inWord = true
    } else if (c === '\\') {
      cur += cmd[++i]
      inWord = true
    } else if (c === ' ') {
      if (inWord) out.push(cur)
      cur = ''
      inWord = false
    } else {
      cur += c
      inWord = true
    }
  }
  if (inWord) out.push(cur)
  return out
}

/** Parses `ecs-lab <words>` with the real program and returns the scenario input `run` would resolve. */
async function inputOf(words: string[], dir: string): Promise<unknown> {
  const program = await buildProgram(words)
  const run = program.commands.find((c) => c.name() === 'run')!
  let input: unknown
  run.action((file: string | undefined, flags: Parameters<typeof buildScenarioInput>[1]) => {
    input = buildScenarioInput(file === undefined ? undefined : join(dir, file), flags)
  })
  await program.parseAsync(words, { from: 'user' })
  return input
}

async function roundTrip(stored: Scenario, id = 'abcdef0123456789'): Promise<{ again: Scenario; command: string }> {
  const r = reproduceCommand({ id, scenario: stored, policy: stored.policy.id, policyParams: stored.policy.params, seed: stored.seed })
  const dir = mkdtempSync(join(tmpdir(), 'ecs-repro-'))
  try {
    writeFileSync(join(dir, r.fileName), r.scenarioJson)
    const words = shellWords(r.command)
    expect(words[0]).toBe('ecs-lab')
    expect(words.slice(1)).toEqual(r.args)
    return { again: resolveScenario(await inputOf(words.slice(1), dir)), command: r.command }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('reproduceCommand', () => {
  it('an eCS variant with non-default parameters and seed resolves to the stored scenario', async () => {
    const stored = resolveScenario({ ...findScenarioPreset('quick'), policy: { id: 'ecs', params: { vetoCap: 4, annotate: ['spinlock', 'mutex'], boost: 'nice' } }, seed: 4242 })
    const { again, command } = await roundTrip(stored)
    expect(again).toEqual(stored)
    expect(command).toMatch(/^ecs-lab run run-abcdef012345\.json --policy ecs --seed 4242 /)
    expect(command).toContain(`--set 'policy.params.annotate=["spinlock","mutex"]'`)
  })

  it('the baseline with defaults, and a scenario whose name needs quoting', async () => {
    const stored = resolveScenario({ ...findScenarioPreset('overcommit-2x'), name: `it's "odd" $HOME`, policy: { id: 'kvm', params: {} }, seed: 0, durationNs: 3_000_000 })
    const { again } = await roundTrip(stored)
    expect(again).toEqual(stored)
  })

  it('differs when the seed differs (the command carries it)', async () => {
    const a = resolveScenario({ ...findScenarioPreset('quick'), seed: 1 })
    const r = reproduceCommand({ id: 'ff00ff00ff00', scenario: a, policy: a.policy.id, policyParams: a.policy.params, seed: 9 })
    expect(r.args).toContain('9')
    expect(r.scenarioJson).not.toContain('"seed"')
  })

  it('the script writes the file and runs the command', () => {
    const a = resolveScenario({ ...findScenarioPreset('quick') })
    const r = reproduceCommand({ id: '0123456789abcdef', scenario: a, policy: a.policy.id, policyParams: a.policy.params, seed: a.seed })
    expect(r.script.startsWith(`cat > run-0123456789ab.json <<'ECS_LAB_SCENARIO'\n`)).toBe(true)
    expect(r.script.trimEnd().endsWith(r.command)).toBe(true)
    expect(JSON.parse(r.script.split('\n').slice(1, -3).join('\n'))).toEqual(JSON.parse(r.scenarioJson))
  })

  it('shellQuote leaves plain words and single-quotes the rest', () => {
    expect(shellQuote('--seed')).toBe('--seed')
    expect(shellQuote("a b'c")).toBe(`'a b'\\''c'`)
    expect(shellWords(shellQuote("a b'c"))).toEqual(["a b'c"])
    expect(shellQuote('')).toBe(`''`)
  })
})
