/**
 * The only doors to Electron IPC (GitHub Desktop's ipc-main.ts / ipc-webcontents.ts): `handleInvoke`
 * registers one contract channel after checking the sender frame, and `sendToRenderer` refuses a
 * destroyed webContents. `ipcMain` and `webContents.send` appear nowhere else (lint rule).
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import type { EventChannel, IpcEnvelope, PayloadOf } from '../../shared/ipc'

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

export function handleInvoke(
  channel: string,
  isTrustedSender: SenderCheck,
  fn: (rawArgs: unknown[]) => Promise<IpcEnvelope<unknown>>
): void {
  ipcMain.handle(channel, async (event, ...rawArgs: unknown[]): Promise<IpcEnvelope<unknown>> => {
    if (!isTrustedSender(event)) {
      console.warn(`ipc: dropped ${channel} from untrusted sender ${event.senderFrame?.url ?? '(no frame)'}`)
      return { ok: false, error: { name: 'SecurityError', message: 'untrusted sender', code: 'forbidden' } }
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
