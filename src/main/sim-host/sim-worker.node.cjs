// Plain-Node bootstrap for the simulation worker (CLI, tests, web harness): load TypeScript via tsx.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS bootstrap: tsx must be registered before the TypeScript worker loads */
require('tsx/cjs')
require('./sim-worker.ts')
