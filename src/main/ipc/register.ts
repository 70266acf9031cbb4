/** Wires every contract channel to the services through the typed, sender-checked door. */
import { invokeChannelNames } from '../../shared/ipc'
import { dispatch } from '../services/dispatch'
import type { Services } from '../services'
import { handleInvoke, removeAllHandlers, type SenderCheck } from './typed'

/** Registers one handler per invoke channel; returns a function that removes them all again. */
export function registerIpc(services: Pick<Services, 'handlers'>, isTrustedSender: SenderCheck): () => void {
  for (const channel of invokeChannelNames) {
    handleInvoke(channel, isTrustedSender, (rawArgs) => dispatch(services.handlers, channel, rawArgs))
  }
  return () => removeAllHandlers(invokeChannelNames)
}
