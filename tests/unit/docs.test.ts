/**
 * docs:get (the Docs page's channel): the document is named by an enum, never a path. A bad name is
 * refused by the contract's zod schema before any file is read, with an error naming the field and the
 * allowed values; a good one returns the committed markdown and every SVG figure it references.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services/dispatch'
import { docsHandlers, figureRefs, readDoc } from '../../src/main/services/docs'
import { DOC_NAMES, type DocContent } from '../../src/shared/ipc/docs'
import type { Handlers, IpcEnvelope } from '../../src/shared/ipc'

const handlers = docsHandlers() as unknown as Handlers
const call = (...args: unknown[]) => dispatch(handlers, 'docs:get', args) as Promise<IpcEnvelope<DocContent>>

describe('docs:get validation', () => {
  const bad: Array<[string, unknown[], RegExp]> = [
    ['an unknown name', [{ name: 'readme' }], /^docs:get: invalid arguments: args\.0\.name: unknown document "readme": name must be one of report, validation$/],
    ['a path instead of a name', [{ name: '../../package.json' }], /args\.0\.name: unknown document "\.\.\/\.\.\/package\.json": name must be one of report, validation/],
    ['a file name', [{ name: 'REPORT.md' }], /args\.0\.name: .*must be one of report, validation/],
    ['no name', [{}], /args\.0\.name: required: one of report, validation/],
    ['a bare string', ['report'], /args\.0: /],
    ['an extra key', [{ name: 'report', path: '/etc/passwd' }], /args\.0: .*unrecognized key.*path/i],
    ['no argument', [], /docs:get: invalid arguments: args/]
  ]
  for (const [what, args, message] of bad) {
    it(`refuses ${what}`, async () => {
      const env = await call(...args)
      expect(env.ok).toBe(false)
      if (env.ok) return
      expect(env.error).toMatchObject({ name: 'ValidationError', code: 'invalid-argument' })
      expect(env.error.message).toMatch(message)
    })
  }
})

describe('docs:get content', () => {
  for (const name of DOC_NAMES) {
    it(`returns docs/${name === 'report' ? 'REPORT' : 'VALIDATION'}.md with every figure it references`, async () => {
      const env = await call({ name })
      expect(env.ok).toBe(true)
      if (!env.ok) return
      const doc = env.value
      expect(doc.name).toBe(name)
      expect(doc.markdown.length).toBeGreaterThan(1000)
      const refs = figureRefs(doc.markdown)
      expect(refs.length).toBeGreaterThan(0)
      expect(Object.keys(doc.figures).sort()).toEqual([...refs].sort())
      for (const svg of Object.values(doc.figures)) expect(svg).toMatch(/<svg[\s>]/)
    })
  }
})

describe('figure references', () => {
  it('takes only figures/<name>.svg, never another folder or file type', () => {
    const md = [
      '![a](figures/ratio-vs-commit.svg)', '![b](figures/ratio-vs-commit.svg)', '![c](../secret.svg)', '![d](figures/../../x.svg)',
      '![e](/etc/passwd)', '![f](figures/x.png)', '![g](figures/sub/x.svg)', '![h](figures/Caps.svg)', '![i](figures/in-cs.svg "title")'
    ].join('\n')
    expect(figureRefs(md)).toEqual(['figures/ratio-vs-commit.svg', 'figures/in-cs.svg'])
  })

  it('reads from the first folder that holds the document; a missing figure is left out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-docs-'))
    try {
      mkdirSync(join(dir, 'figures'))
      writeFileSync(join(dir, 'REPORT.md'), '# R\n\n![x](figures/x.svg)\n![y](figures/y.svg)\n')
      writeFileSync(join(dir, 'figures', 'x.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
      const doc = readDoc('report', [join(dir, 'none'), dir])
      expect(doc).toMatchObject({ name: 'report', source: 'docs/REPORT.md', markdown: expect.stringContaining('# R') })
      expect(Object.keys(doc.figures)).toEqual(['figures/x.svg'])
      expect(() => readDoc('validation', [dir])).toThrow(/docs\/VALIDATION\.md is not shipped/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
