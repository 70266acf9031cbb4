/**
 * The one door into the services, shared by Electron's ipcMain wiring and the web harness: look the
 * channel up in the contract, validate the argument tuple with its zod schema, call the handler, and
 * wrap the outcome in an envelope. A malformed call is rejected before any handler runs, so it can
 * change nothing.
 */
import { z } from 'zod'
import {
  ApiError,
  formatZodError,
  invokeChannels,
  toIpcError,
  type Handlers,
  type IpcEnvelope,
  type InvokeChannel
} from '../../shared/ipc'
import { assertValueDepth, DepthError } from '../../shared/json-depth'

export function isInvokeChannel(channel: string): channel is InvokeChannel {
  return Object.prototype.hasOwnProperty.call(invokeChannels, channel)
}

export function parseArgs(channel: InvokeChannel, raw: unknown): unknown[] {
  const schema = invokeChannels[channel].args as z.ZodTuple
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    throw new ApiError(`${channel}: invalid arguments: ${formatZodError(parsed.error, 'args')}`, 'invalid-argument', 'ValidationError')
  }
  return parsed.data as unknown[]
}

export async function dispatch(handlers: Handlers, channel: string, raw: unknown): Promise<IpcEnvelope<unknown>> {
  try {
    if (!isInvokeChannel(channel)) throw new ApiError(`unknown channel ${JSON.stringify(channel)}`, 'not-found')
    try {
      assertValueDepth(raw, `${channel}: arguments`)
    } catch (err) {
      if (err instanceof DepthError) throw new ApiError(err.message, 'invalid-argument', 'ValidationError')
      throw err
    }
    const args = parseArgs(channel, raw)
    const fn = handlers[channel] as (...a: unknown[]) => unknown
    const value = await fn(...args)
    return { ok: true, value }
  } catch (err) {
    return { ok: false, error: toIpcError(err) }
  }
}
