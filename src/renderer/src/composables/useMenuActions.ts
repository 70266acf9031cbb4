import { onScopeDispose } from 'vue'
import { useRouter } from 'vue-router'
import type { MenuAction } from '../../../shared/ipc/app'
import { api } from '../api'

/** Carries out application-menu actions (desktop app) by navigating; unsubscribes with the scope. */
export function useMenuActions(onAction?: (a: MenuAction) => void): void {
  const router = useRouter()
  const targets: Record<MenuAction, string> = {
    'experiment:new': '/layouts/new',
    'run:quick': '/run',
    'view:experiments': '/runs',
    'view:compare': '/compare',
    'view:settings': '/'
  }
  const a = api() as unknown as { app?: { onMenu?: (cb: (e: { action: MenuAction }) => void) => () => void } }
  const off = a.app?.onMenu?.((e) => {
    onAction?.(e.action)
    void router.push(targets[e.action] ?? '/')
  })
  onScopeDispose(() => off?.())
}
