/**
 * The typed IPC contract, in the spirit of GitHub Desktop's ipc-shared.ts and electron-toolkit's
 * typed-ipc type maps: every renderer -> main call is an *invoke channel* named `domain:action`, with a
 * zod schema for its argument tuple (checked in main before use) and a result type; every main -> renderer
 * push is an *event channel* `domain:event`. The preload exposes exactly one method per channel:
 * `window.api.<domain>.<action>(...args)` and `window.api.<domain>.on<Event>(cb) -> unsubscribe`.
 *
 * Only structured-clone-able data crosses: numbers, strings, plain objects and arrays.
 */
import { z } from 'zod'

export interface InvokeDef<A extends z.ZodTuple = z.ZodTuple, R = unknown> {
  readonly kind: 'invoke'
  readonly args: A
  /** Phantom: the resolved value's type. Never read at run time. */
  readonly result?: R
}

export interface EventDef<P = unknown> {
  readonly kind: 'event'
  /** Phantom: the payload's type. */
  readonly payload?: P
}

/** Declares an invoke channel: `invoke<Result>()(z.tuple([...args]))`. */
export function invoke<R>() {
  return <A extends z.ZodTuple>(args: A): InvokeDef<A, R> => ({ kind: 'invoke', args })
}

export function event<P>(): EventDef<P> {
  return { kind: 'event' }
}

/** Errors cross the boundary as plain objects and are rebuilt into `Error`s on receipt. */
export interface IpcError {
  name: string
  message: string
  code?: string
}

/** The envelope every invoke channel returns over the wire (Signal's channels.preload.ts idea). */
export type IpcEnvelope<R> = { ok: true; value: R } | { ok: false; error: IpcError }

/** Error codes a caller may branch on. */
export type IpcErrorCode = 'invalid-argument' | 'not-found' | 'cancelled' | 'conflict' | 'internal'

export class ApiError extends Error {
  readonly code: string
  constructor(message: string, code: IpcErrorCode | string = 'internal', name = 'ApiError') {
    super(message)
    this.name = name
    this.code = code
  }
}

export function toIpcError(err: unknown): IpcError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) }
  }
  return { name: 'Error', message: String(err) }
}

export function fromIpcError(e: IpcError): ApiError {
  return new ApiError(e.message, e.code ?? 'internal', e.name)
}

/** Renders zod issues as one line per issue: `vms.0.vcpus: Too big: expected number to be <=1024`. */
export function formatZodError(err: z.ZodError, prefix = ''): string {
  return err.issues
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.')
      return `${path || '(root)'}: ${i.message}`
    })
    .join('; ')
}

/** `domain:action` -> ['domain', 'action'] */
export function splitChannel(channel: string): [string, string] {
  const i = channel.indexOf(':')
  if (i <= 0 || i === channel.length - 1) throw new Error(`bad channel name ${channel}`)
  return [channel.slice(0, i), channel.slice(i + 1)]
}

/** `run:progress` -> `onProgress` (the preload method name of an event channel). */
export function eventMethodName(channel: string): string {
  const action = splitChannel(channel)[1]
  return 'on' + action.charAt(0).toUpperCase() + action.slice(1)
}
