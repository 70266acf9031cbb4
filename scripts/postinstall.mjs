#!/usr/bin/env node
// npm postinstall: compile the command line (out/node/, scripts/build-node.mjs: a fresh clone's
// `npx ecs-lab` works right after `npm install`), then say whether the desktop runtime is complete and
// what `npm start` will do about it. It never rebuilds native modules (rebuild tools can silently produce
// a Node-ABI binary stamped as Electron's, or delete better-sqlite3's build when offline) and it never
// fails the install: every path ends in exit code 0 (a failed CLI build is reported with its fix).
import { electronAddonStatus, electronInstallHelp, findElectron } from './electron-env.mjs'

export function postinstallMessage(root) {
  const electron = findElectron(root)
  if (electron.status !== 'ok') {
    return [
      'eCS Lab: the Electron binary could not be installed (it is an optional dependency, so the install',
      'carried on). npm test, npm run build, npm run web and npx ecs-lab work without it; only npm start needs it.',
      `  ${electron.detail}`,
      electronInstallHelp()
    ].join('\n')
  }
  if (electron.abi === undefined) return `eCS Lab: Electron ${electron.version} installed.`
  const addon = electronAddonStatus({ root, modules: electron.abi })
  if (addon.state === 'ok') return `eCS Lab: Electron ${electron.version} and its better-sqlite3 build are ready (npm start).`
  return `eCS Lab: Electron ${electron.version} installed. The first npm start compiles better-sqlite3 for it into .electron-native/ (about a minute).`
}

try {
  const { buildNode } = await import('./build-node.mjs')
  await buildNode({ quiet: true })
  console.log('eCS Lab: command line compiled to out/node/ (npx ecs-lab).')
} catch (err) {
  console.log(`eCS Lab: the command line was not compiled (${err instanceof Error ? err.message : String(err)}); run \`npm run build\` (needs the dev dependencies).`)
}
try {
  console.log(postinstallMessage())
} catch (err) {
  console.log(`eCS Lab: postinstall check skipped (${err instanceof Error ? err.message : String(err)})`)
}
process.exitCode = 0
