/**
 * The only doors to Electron IPC (GitHub Desktop's ipc-main.ts / ipc-webcontents.ts): `handleInvoke`
 * registers one contract channel behind the sender check, and `sendToRenderer` refuses a destroyed
 * webContents. `ipcMain` and `webContents.send` appear nowhere else (lint rule in eslint.config.mjs).
 */
import { ipcMain, type WebContents } from 'electron'
import type { EventChannel, IpcEnvelope, PayloadOf } from '../../shared/ipc'
import type { SenderCheck } from './sender'

export type { SenderCheck } from './sender'

export const UNTRUSTED_SENDER_ERROR = { name: 'SecurityError', message: 'untrusted sender', code: 'forbidden' } as const

export function handleInvoke(
  channel: string,
  isTrustedSender: SenderCheck,
  fn: (rawArgs: unknown[]) => Promise<IpcEnvelope<unknown>>
): void {
  ipcMain.handle(channel, async (event, ...rawArgs: unknown[]): Promise<IpcEnvelope<unknown>> => {
    if (!isTrustedSender(event)) {
      console.warn(`ipc: dropped ${channel} from untrusted sender ${event.senderFrame?.url ?? '(no frame)'}`)
      return { ok: false, error: { ...UNTRUSTED_SENDER_ERROR } }
    }
    return fn(rawArgs)
  })
}

export function removeAllHandlers(channels: readonly string[]): void {
  for (const c of channels) ipcMain.removeHandler(c)
}

export function sendToRenderer<E extends EventChannel>(wc: WebContents | undefined, channel: E, payload: PayloadOf<E>): void {
  if (!wc || wc.isDestroyed()) return
  wc.send(channel, payload)
}
