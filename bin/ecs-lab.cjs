#!/usr/bin/env node
// `ecs-lab` entry: the CLI is TypeScript, loaded through tsx so no build step is needed (npx ecs-lab).
require('tsx/cjs')
const { main } = require('../src/cli/main.ts')
main(process.argv.slice(2)).then((code) => { process.exitCode = code })
