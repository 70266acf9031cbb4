/**
 * The one IPC contract: all domains merged. Add a domain by writing `src/shared/ipc/<domain>.ts` that
 * exports `<domain>Channels` / `<domain>Events` and spreading it below. tests/unit/ipc-surface.test.ts
 * checks that main handles, the preload exposes and the web adapter serves exactly these channels.
 */
import type { z } from 'zod'
import type { EventDef, InvokeDef } from './define'
import { appChannels, appEvents } from './app'
import { presetsChannels } from './presets'
import { simChannels } from './sim'
import { layoutsChannels } from './layouts'
import { runsChannels, runsEvents } from './runs'
import { campaignsChannels, campaignsEvents } from './campaigns'
import { compareChannels } from './compare'
import { exportChannels } from './export'
import { traceChannels } from './trace'
import { validationChannels } from './validation'
import { docsChannels } from './docs'

export * from './define'

export const invokeChannels = {
  ...appChannels,
  ...presetsChannels,
  ...simChannels,
  ...layoutsChannels,
  ...runsChannels,
  ...campaignsChannels,
  ...compareChannels,
  ...exportChannels,
  ...traceChannels,
  ...validationChannels,
  ...docsChannels
} as const

export const eventChannels = {
  ...appEvents,
  ...runsEvents,
  ...campaignsEvents
} as const satisfies Record<string, EventDef>

export type InvokeChannels = typeof invokeChannels
export type EventChannels = typeof eventChannels
export type InvokeChannel = keyof InvokeChannels & string
export type EventChannel = keyof EventChannels & string

export type ArgsOf<C extends InvokeChannel> = InvokeChannels[C] extends InvokeDef<infer A, unknown> ? z.input<A> : never
export type ParsedArgsOf<C extends InvokeChannel> = InvokeChannels[C] extends InvokeDef<infer A, unknown> ? z.output<A> : never
export type ResultOf<C extends InvokeChannel> = InvokeChannels[C] extends InvokeDef<z.ZodTuple, infer R> ? R : never
export type PayloadOf<E extends EventChannel> = EventChannels[E] extends EventDef<infer P> ? P : never

/** Main-side implementation of every invoke channel (plain functions, no Electron). */
export type Handlers = { [C in InvokeChannel]: (...args: ParsedArgsOf<C>) => Promise<ResultOf<C>> | ResultOf<C> }

/** Sink for main -> renderer pushes. */
export type Emit = <E extends EventChannel>(channel: E, payload: PayloadOf<E>) => void

type Domain<C extends string> = C extends `${infer D}:${string}` ? D : never
type Action<C extends string> = C extends `${string}:${infer A}` ? A : never
type OnName<C extends string> = `on${Capitalize<Action<C>>}`

/** `window.api`: one method per channel, grouped by domain. */
export type Api = {
  [D in Domain<InvokeChannel> | Domain<EventChannel>]: {
    [C in InvokeChannel as Domain<C> extends D ? Action<C> : never]: (...args: ArgsOf<C>) => Promise<ResultOf<C>>
  } & {
    [E in EventChannel as Domain<E> extends D ? OnName<E> : never]: (cb: (payload: PayloadOf<E>) => void) => () => void
  }
}

export const invokeChannelNames = Object.keys(invokeChannels) as InvokeChannel[]
export const eventChannelNames = Object.keys(eventChannels) as EventChannel[]
