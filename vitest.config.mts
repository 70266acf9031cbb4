import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { resolve } from 'node:path'

// Three projects: `unit` (sim, shared, main-side services, CLI, renderer stores/components in happy-dom),
// `e2e` (real Chromium via playwright-core against the built renderer + real services) and `slurm`
// (docs/slurm.md's job array on a real single-node Slurm; `npm run test:slurm`, not part of `npm test`).
// pool 'forks': better-sqlite3 is a native module and worker_threads pools do not mix well with it.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [vue()],
        resolve: { alias: { '@renderer': resolve(import.meta.dirname, 'src/renderer/src') } },
        test: {
          name: 'unit',
          pool: 'forks',
          include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000
        }
      },
      {
        test: {
          name: 'e2e',
          pool: 'forks',
          include: ['tests/e2e/**/*.e2e.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false
        }
      },
      {
        // `npm run test:slurm`: a real single-node Slurm (needs slurmctld, slurmd, slurm-client, munge)
        test: {
          name: 'slurm',
          pool: 'forks',
          include: ['tests/slurm/**/*.slurm.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 120_000
        }
      }
    ]
  }
})
