/**
 * The app's main-side services over the IPC contract, as the store tests drive them: every call goes
 * through dispatch (the channel's zod validation), events are collected as the renderer would get them.
 * Open it in beforeAll and close it in afterAll.
 */
import { join } from 'node:path'
import { createServices, type Services } from '../../../src/main/services'
import { dispatch } from '../../../src/main/services/dispatch'
import { nodeWorkerFactory } from '../../../src/main/sim-host/one-shot'
import type { IpcEnvelope } from '../../../src/shared/ipc'
import { tempDir } from './helpers'

export type IpcEvent = { channel: string; payload: Record<string, unknown> }

/** Resolves once `cond()` holds (checked every 20 ms). */
export function until(cond: () => boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = () => (cond() ? resolve() : setTimeout(check, 20))
    check()
  })
}

export function ipcServices(prefix: string, opts: { poolSize?: number } = {}) {
  const t = tempDir(prefix)
  const dbPath = join(t.dir, 'app.sqlite')
  const events: IpcEvent[] = []
  let services: Services | undefined
  const call = async <T = unknown>(channel: string, ...args: unknown[]): Promise<T> => {
    const env = (await dispatch(services!.handlers, channel, args)) as IpcEnvelope<T>
    if (!env.ok) throw Object.assign(new Error(env.error.message), { code: env.error.code })
    return env.value
  }
  /** Resolves when every run in `ids` has sent `runs:finished`. */
  const finished = (ids: string[]) =>
    until(() => ids.every((id) => events.some((e) => e.channel === 'runs:finished' && e.payload['runId'] === id)))
  return {
    dbPath,
    events,
    call,
    finished,
    open(): void {
      services = createServices({ host: 'web', workerFactory: nodeWorkerFactory, emit: (channel, payload) => events.push({ channel, payload: payload as Record<string, unknown> }), dbPath, poolSize: opts.poolSize ?? 2 })
    },
    async close(): Promise<void> {
      await services?.close()
      t.cleanup()
    }
  }
}
