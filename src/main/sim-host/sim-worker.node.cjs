// Plain-Node bootstrap for the simulation worker (CLI, tests, web harness): load TypeScript via tsx.
require('tsx/cjs')
require('./sim-worker.ts')
