/**
 * Who may call main: GitHub Desktop's `isValidSender` idea, made stricter. A call is served only when
 * it comes from the main window's own webContents, from its top-level frame (never an iframe), and that
 * frame is showing the app's own page. Electron-free (types only) so tests drive it with plain objects.
 */
import type { IpcMainInvokeEvent, WebContents } from 'electron'

/** The parts of an IpcMainInvokeEvent the check reads. */
export type SenderInfo = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>

export type SenderCheck = (event: SenderInfo) => boolean

export interface SenderPolicy {
  /** True for the app's own page URL (window-options.ts `isAppPageUrl`). */
  isAppPage(url: string): boolean
  /** The main window's webContents, or undefined before it exists / after it closed. */
  mainWebContents(): WebContents | undefined
}

export function makeSenderCheck(policy: SenderPolicy): SenderCheck {
  return (event) => {
    const frame = event.senderFrame
    // senderFrame is null when the frame navigated away or was destroyed before the call arrived.
    if (!frame) return false
    // Subframes (iframes) never get the API, even same-origin ones.
    if (frame.parent !== null) return false
    const main = policy.mainWebContents()
    if (!main || event.sender !== main) return false
    return policy.isAppPage(frame.url)
  }
}
