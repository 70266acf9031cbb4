/** How `npm start` / `npm run web --open` opens the app's URL on a desktop (src/web/serve.ts). */

/** The command that opens `url` in the desktop's browser, or null where there is no desktop. */
export function openCommand(url: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): [string, string[]] | null {
  if (platform === 'darwin') return ['open', [url]]
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url]]
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return ['xdg-open', [url]]
  return null
}
