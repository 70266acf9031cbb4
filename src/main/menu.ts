/**
 * The application menu: Electron's standard roles (app, edit, view, window) plus the app's own actions,
 * which main forwards to the renderer as `app:menu` events (the UI decides what they do). Built as a
 * plain template so tests read it without Electron; index.ts passes it to Menu.buildFromTemplate.
 */
import type { MenuItemConstructorOptions } from 'electron'
import type { MenuAction } from '../shared/ipc/app'
import { PAPER_URL } from './links'

export interface MenuDeps {
  platform: NodeJS.Platform
  /** Sends an action to the renderer (`app:menu`). */
  onAction(action: MenuAction): void
  /** Opens an allow-listed link in the browser (links.ts). */
  openLink(url: string): void
}

function action(label: string, id: MenuAction, deps: MenuDeps, accelerator?: string): MenuItemConstructorOptions {
  return { id, label, ...(accelerator ? { accelerator } : {}), click: () => deps.onAction(id) }
}

export function buildMenuTemplate(deps: MenuDeps): MenuItemConstructorOptions[] {
  const mac = deps.platform === 'darwin'
  const template: MenuItemConstructorOptions[] = []
  if (mac) template.push({ role: 'appMenu' })
  template.push({
    label: 'File',
    submenu: [
      action('New Experiment…', 'experiment:new', deps, 'CmdOrCtrl+N'),
      action('Quick Run', 'run:quick', deps, 'CmdOrCtrl+R'),
      { type: 'separator' },
      action('Settings…', 'view:settings', deps, 'CmdOrCtrl+,'),
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' }
    ]
  })
  template.push({ role: 'editMenu' })
  template.push({
    label: 'View',
    submenu: [
      action('Experiments', 'view:experiments', deps, 'CmdOrCtrl+1'),
      action('Compare', 'view:compare', deps, 'CmdOrCtrl+2'),
      { type: 'separator' },
      { role: 'reload', accelerator: 'CmdOrCtrl+Shift+R' },
      { role: 'toggleDevTools' },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' }
    ]
  })
  template.push({ role: 'windowMenu' })
  template.push({
    role: 'help',
    submenu: [
      { label: "The eCS Paper (USENIX ATC '18)", click: () => deps.openLink(PAPER_URL) },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'about' } as const])
    ]
  })
  return template
}
