/** Wires every contract channel to the services through the typed, sender-checked door. */
import { invokeChannelNames } from '../../shared/ipc'
import { dispatch } from '../services/dispatch'
import type { Services } from '../services'
import { handleInvoke, type SenderCheck } from './typed'

export function registerIpc(services: Services, isTrustedSender: SenderCheck): void {
  for (const channel of invokeChannelNames) {
    handleInvoke(channel, isTrustedSender, (rawArgs) => dispatch(services.handlers, channel, rawArgs))
  }
}
