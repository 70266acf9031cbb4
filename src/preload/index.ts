/**
 * The preload: sandboxed, context-isolated. It exposes `window.api.<domain>.<action>()`, exactly one
 * method per contract channel, each bound to its own channel name (never a generic invoke), and
 * `on<Event>(cb)` subscriptions that return an unsubscribe function.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { eventChannelNames, eventMethodName, fromIpcError, invokeChannelNames, splitChannel, type IpcEnvelope } from '../shared/ipc'

function buildApi(): Record<string, Record<string, unknown>> {
  const api: Record<string, Record<string, unknown>> = {}
  for (const channel of invokeChannelNames) {
    const [domain, action] = splitChannel(channel)
    api[domain] ??= {}
    api[domain][action] = async (...args: unknown[]) => {
      const env = (await ipcRenderer.invoke(channel, ...args)) as IpcEnvelope<unknown>
      if (env.ok) return env.value
      throw fromIpcError(env.error)
    }
  }
  for (const channel of eventChannelNames) {
    const [domain] = splitChannel(channel)
    api[domain] ??= {}
    api[domain][eventMethodName(channel)] = (cb: (payload: unknown) => void) => {
      const listener = (_e: IpcRendererEvent, payload: unknown) => cb(payload)
      ipcRenderer.on(channel, listener)
      return () => ipcRenderer.removeListener(channel, listener)
    }
  }
  return api
}

if (!process.contextIsolated) throw new Error('eCS Lab requires context isolation')
contextBridge.exposeInMainWorld('api', buildApi())
