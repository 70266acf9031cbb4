// Lint configuration. The layering rules here are the mechanical guard that keeps `src/sim` pure:
// folder = runtime layer (VS Code's code-layering idea). Allowed imports:
//   sim -> shared   shared -> (nothing at runtime but zod)   preload -> shared, electron
//   renderer -> shared   main -> shared, sim   cli/web -> shared, sim, main
// Nothing imports renderer, cli or web. tests/unit/layering.test.ts proves a forbidden import fails.
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'
import globals from 'globals'

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'net', 'url', 'util', 'events', 'stream']

/** Patterns no pure layer (sim, shared) may import. */
const impure = [
  { group: nodeBuiltins, message: 'src/sim and src/shared are pure TypeScript: no Node built-ins.' },
  { group: ['electron', 'electron/*'], message: 'Electron belongs in src/main and src/preload only.' },
  { group: ['vue', 'pinia', 'echarts', 'echarts/*', 'vue-echarts'], message: 'UI libraries belong in src/renderer.' },
  { group: ['better-sqlite3'], message: 'SQLite belongs in src/main/store.' },
  { group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**', '**/web/**'], message: 'Bad layering: pure layers import only src/shared (and sim -> shared).' }
]

const banNondeterminism = [
  { object: 'Math', property: 'random', message: 'src/sim is deterministic: use the per-entity RNG stream (core/rng.ts).' },
  { object: 'Date', property: 'now', message: 'src/sim is deterministic: simulated time is env.now.' },
  { object: 'performance', property: 'now', message: 'src/sim is deterministic: simulated time is env.now.' }
]

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'coverage/**', '**/*.d.ts', 'types/**', 'tests/fixtures/**', 'docs/**'] },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.{ts,mts,mjs,js}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off'
    }
  },
  {
    files: ['**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' },
      globals: { ...globals.browser }
    },
    rules: {
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off'
    }
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    files: ['src/sim/**/*.ts'],
    ignores: ['src/sim/**/*.test.ts', 'src/sim/**/*.bench.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { patterns: impure }],
      'no-restricted-properties': ['error', ...banNondeterminism],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'No timers in src/sim: schedule an event.' },
        { name: 'setInterval', message: 'No timers in src/sim: schedule an event.' },
        { name: 'process', message: 'No Node globals in src/sim.' },
        { name: 'window', message: 'No DOM in src/sim.' },
        { name: 'document', message: 'No DOM in src/sim.' }
      ]
    }
  },
  {
    files: ['src/shared/**/*.ts'],
    ignores: ['src/shared/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { patterns: [...impure, { regex: '^(\\.\\./)+sim(/|$)', message: 'Bad layering: src/shared imports nothing from src/sim.' }] }],
      'no-restricted-properties': ['error', ...banNondeterminism]
    }
  },
  {
    files: ['src/renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: nodeBuiltins, message: 'The renderer is sandboxed: no Node built-ins.' },
        { group: ['electron', 'better-sqlite3'], message: 'The renderer reaches main only through window.api.' },
        { group: ['**/main/**', '**/sim/**', '**/cli/**', '**/web/**', '**/preload/index'], message: 'Bad layering: the renderer imports only src/shared.' }
      ] }]
    }
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/main/**', '**/sim/**', '**/renderer/**', 'better-sqlite3', ...nodeBuiltins], message: 'The sandboxed preload imports only electron and src/shared.' }
      ] }]
    }
  },
  {
    // Typed wrappers are the only doors to Electron IPC (GitHub Desktop's rule).
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/ipc/typed.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/renderer/**', '**/cli/**', '**/web/**'], message: 'Bad layering: main imports shared and sim only.' }
      ] }],
      'no-restricted-syntax': ['error',
        { selector: "MemberExpression[object.name='ipcMain']", message: 'Use the typed handle() in src/main/ipc/typed.ts.' },
        { selector: "MemberExpression[property.name='send'][object.property.name='webContents']", message: 'Use sendToRenderer() in src/main/ipc/typed.ts.' }
      ]
    }
  }
)
