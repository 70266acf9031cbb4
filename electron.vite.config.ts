import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'
import pkg from './package.json'

// electron-vite reads Electron's major version from node_modules/electron/package.json and fails
// ("Cannot find module 'electron/package.json'") where npm dropped the optional electron package
// because its binary could not be downloaded. It honours ELECTRON_MAJOR_VER first: take it from the
// pinned version so the build never depends on the Electron package being installed.
process.env['ELECTRON_MAJOR_VER'] ??= pkg.optionalDependencies.electron.split('.')[0]

// Targets are explicit so the build is the same whether or not the Electron package could be
// installed (electron-vite otherwise reads them from node_modules/electron). Electron 41 ships
// Node 24 and Chromium 146.
export default defineConfig({
  main: {
    build: {
      target: 'node22',
      // Dependencies stay external (better-sqlite3 is native); the worker is bundled via ?nodeWorker.
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/main/index.ts') },
        output: { format: 'cjs' }
      }
    }
  },
  preload: {
    build: {
      target: 'node22',
      // A sandboxed preload cannot require() npm packages: bundle everything but electron.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs' }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: { alias: { '@renderer': resolve(__dirname, 'src/renderer/src') } },
    plugins: [vue()],
    build: {
      target: 'chrome146',
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } }
    }
  }
})
