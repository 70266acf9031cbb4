/**
 * The cluster path on a real Slurm (`npm run test:slurm`; `.ci/run` runs it after `npm test` and installs
 * Debian's slurmctld, slurmd, slurm-client and munge when missing).
 *
 * Starts a single-node cluster on localhost inside a temporary folder: a fresh munge key and munged on
 * its own socket, a minimal slurm.conf (free ports, state/spool/logs in the folder, SLURM_CONF for every
 * client command), slurmctld and slurmd in the foreground as child processes, all stopped at the end.
 * Then, as a user would: extracts the job-array script from docs/slurm.md (the doc is the test input, so
 * it cannot drift), submits it unchanged with `sbatch campaign.sbatch` from a folder holding a tiny
 * `overcommit.yaml`, waits for the array, merges the shard stores with `ecs-lab db merge`, and checks the
 * merged store holds exactly what one unsharded `campaign run` of the same file stores.
 *
 * The node is declared with more CPUs and memory than this machine has (SlurmdParameters=config_overrides)
 * so the script's own `--cpus-per-task=8 --mem=4G --array=0-15` are accepted as written; the campaign
 * is tiny (8 runs of 4 ms), so most shards have one run or none.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeContent } from '../unit/store/cli-helpers'

const ROOT = join(__dirname, '../..')
const CLI = join(ROOT, 'bin/ecs-lab.cjs')

/** The one `#!/bin/bash` block of docs/slurm.md, byte for byte. */
export function docJobScript(doc = readFileSync(join(ROOT, 'docs/slurm.md'), 'utf8')): string {
  const blocks = [...doc.matchAll(/```sh\n(#!\/bin\/bash\n[\s\S]*?)```/g)].map((m) => m[1])
  if (blocks.length !== 1) throw new Error(`docs/slurm.md should hold exactly one job script block, found ${blocks.length}`)
  return blocks[0]
}

const TINY_CAMPAIGN = `name: slurm-test
scenarios:
  - preset: quick
    overrides: { durationNs: 4000000, warmupNs: 400000, sampleIntervalNs: 400000 }
policies: [kvm, ecs]
seeds: { from: 1, count: 2 }
sweep:
  host.hz: [250, 1000]
`

function which(cmd: string): string | undefined {
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', ...(process.env.PATH ?? '').split(':')]) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd)
  }
  return undefined
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('docs/slurm.md job array on a single-node Slurm', () => {
  const missing = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo'].filter((c) => !which(c))
  const dir = mkdtempSync(join(tmpdir(), 'ecs-lab-slurm-'))
  const conf = join(dir, 'slurm.conf')
  const env = { ...process.env, SLURM_CONF: conf }
  const daemons: ChildProcess[] = []
  const logs = join(dir, 'log')

  const daemonLogs = () =>
    readdirSync(logs).map((f) => `--- ${f}\n${readFileSync(join(logs, f), 'utf8').split('\n').slice(-30).join('\n')}`).join('\n')

  function startDaemon(cmd: string, args: string[], name: string): void {
    const child = spawn(which(cmd)!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    child.stdout!.on('data', (d: Buffer) => out.push(d))
    child.stderr!.on('data', (d: Buffer) => out.push(d))
    child.on('exit', () => writeFileSync(join(logs, `${name}.out`), Buffer.concat(out)))
    daemons.push(child)
  }

  beforeAll(async () => {
    if (missing.length) {
      throw new Error(`npm run test:slurm needs Slurm and munge (Debian: apt-get install slurmctld slurmd slurm-client munge); missing: ${missing.join(', ')}`)
    }
    for (const d of ['munge', 'state', 'spool', 'log', 'work', 'tmp']) mkdirSync(join(dir, d), { recursive: true })
    chmodSync(join(dir, 'munge'), 0o700)
    writeFileSync(join(dir, 'munge/munge.key'), randomBytes(1024), { mode: 0o600 })
    const socket = join(dir, 'munge/munge.socket')
    // -f: this test may run as root (CI containers); munged refuses that without it.
    startDaemon('munged', ['-F', '-f', `--key-file=${join(dir, 'munge/munge.key')}`, `--socket=${socket}`, `--pid-file=${join(dir, 'munge/munged.pid')}`,
      `--log-file=${join(logs, 'munged.log')}`, `--seed-file=${join(dir, 'munge/munged.seed')}`], 'munged')
    for (let i = 0; i < 50 && !existsSync(socket); i++) await sleep(100)

    const host = hostname().split('.')[0]
    const [ctldPort, dPort] = [await freePort(), await freePort()]
    const user = spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim() || 'root'
    writeFileSync(conf, [
      'ClusterName=ecslabtest',
      `SlurmctldHost=${host}`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${dPort}`,
      `SlurmUser=${user}`,
      `SlurmdUser=${user}`,
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(logs, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(logs, 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/none',
      'MpiDefault=none',
      'SwitchType=switch/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core_Memory',
      // declared size, not detected: the script's 8 CPUs and 4 GB per task x 16 tasks fit at once
      'SlurmdParameters=config_overrides',
      'ReturnToService=2',
      `NodeName=${host} CPUs=128 RealMemory=65536 State=UNKNOWN`,
      'PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP',
      ''
    ].join('\n'))
    startDaemon('slurmctld', ['-D', '-i', '-f', conf], 'slurmctld')
    startDaemon('slurmd', ['-D', '-f', conf], 'slurmd')
    for (let i = 0; i < 100; i++) {
      const r = spawnSync(which('sinfo')!, ['-h', '-o', '%T'], { env, encoding: 'utf8' })
      if (r.status === 0 && /idle/.test(r.stdout)) return
      await sleep(300)
    }
    throw new Error(`the single-node cluster did not come up (sinfo never showed the node idle)\n${daemonLogs()}`)
  }, 60_000)

  afterAll(async () => {
    for (const d of daemons.reverse()) if (d.exitCode === null && d.signalCode === null) d.kill('SIGTERM')
    await sleep(1000)
    for (const d of daemons) if (d.exitCode === null && d.signalCode === null) d.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs the documented script unchanged, and the merged shards equal one unsharded run', async () => {
    const work = join(dir, 'work')
    const script = docJobScript()
    // the example is the same file as the doc's block
    expect(readFileSync(join(ROOT, 'examples/cluster/campaign.sbatch'), 'utf8')).toBe(script)
    writeFileSync(join(work, 'campaign.sbatch'), script)
    writeFileSync(join(work, 'overcommit.yaml'), TINY_CAMPAIGN)

    // ECS_LAB: the checkout under test (the script's default is $HOME/ecs-lab); TMPDIR: the node-local
    // scratch the script uses, private to this test (job ids restart at 1 on every new cluster)
    const submit = spawnSync(which('sbatch')!, ['--parsable', 'campaign.sbatch'], { cwd: work, env: { ...env, ECS_LAB: ROOT, TMPDIR: join(dir, 'tmp') }, encoding: 'utf8' })
    expect(submit.status, submit.stderr).toBe(0)
    const jobId = submit.stdout.trim().split(';')[0]
    expect(jobId).toMatch(/^\d+$/)

    const deadline = Date.now() + 240_000
    for (;;) {
      const q = spawnSync(which('squeue')!, ['-h', '-j', jobId, '-o', '%i %T'], { env, encoding: 'utf8' })
      if (q.status === 0 && q.stdout.trim() === '') break
      if (Date.now() > deadline) throw new Error(`job array ${jobId} did not finish in 240 s:\n${q.stdout}\n${daemonLogs()}`)
      await sleep(1000)
    }

    const taskLogs = readdirSync(work).filter((f) => /^ecs-lab-\d+_\d+\.out$/.test(f)).sort()
    const shards = readdirSync(join(work, 'stores')).filter((f) => /^shard-\d+-of-16\.sqlite$/.test(f))
    const logText = taskLogs.map((f) => `--- ${f}\n${readFileSync(join(work, f), 'utf8')}`).join('\n')
    expect(taskLogs, logText).toHaveLength(16)
    expect(shards, logText).toHaveLength(16)
    // the script removes its scratch copies
    expect(readdirSync(join(dir, 'tmp')).filter((f) => f.startsWith('ecs-lab-'))).toEqual([])

    const merged = join(work, 'merged.sqlite')
    const single = join(work, 'single.sqlite')
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: work, encoding: 'utf8' })
    const m = run(['db', 'merge', ...shards.map((s) => join('stores', s)), '--into', merged])
    expect(m.status, m.stderr + m.stdout).toBe(0)
    const u = run(['campaign', 'run', 'overcommit.yaml', '--db', single, '--workers', '2', '--no-progress'])
    expect(u.status, u.stderr).toBe(0)

    const a = storeContent(merged)
    const b = storeContent(single)
    expect((a['runs'] as unknown[]).length).toBe(8)
    expect((a['runs'] as { status: string }[]).every((r) => r.status === 'done')).toBe(true)
    expect(a).toEqual(b)
  }, 300_000)
})
