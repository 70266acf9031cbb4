/**
 * Issue 14 probe 4: the web harness must survive any request path and body from a client that holds
 * the token. The real server and the real services (a temp SQLite store) run in this process; requests
 * are written raw on a socket, so malformed paths (`/%`, stray percent signs, dot segments, unicode)
 * reach the server as sent. After every generated request the server must still answer a normal one.
 */
import fc from 'fast-check'
import { connect } from 'node:net'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../../src/main/services'
import { nodeWorkerFactory } from '../../../src/main/sim-host/one-shot'
import { startWebServer, type WebServer } from '../../../src/web/server'
import { tempDir } from '../store/helpers'

interface RawResponse { status: number; body: string }

let server: WebServer
let services: Services
const t = tempDir('ecs-webfuzz-')

/** One HTTP/1.1 request written verbatim; resolves with the status (0 if the connection was dropped). */
function raw(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const url = new URL(server.origin)
  return new Promise((resolve, reject) => {
    const sock = connect(Number(url.port), '127.0.0.1')
    let data = ''
    sock.setEncoding('latin1')
    sock.on('data', (d: string) => (data += d))
    sock.on('error', reject)
    sock.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data)
      resolve({ status: m ? Number(m[1]) : 0, body: data.slice(data.indexOf('\r\n\r\n') + 4) })
    })
    const b = body === undefined ? undefined : Buffer.from(body, 'utf8')
    const head = [
      `${method} ${path} HTTP/1.0`,
      `Host: ${url.host}`,
      `Cookie: ecs_lab_token=${server.token}`,
      `Origin: ${server.origin}`,
      'Connection: close',
      ...(b ? ['Content-Type: application/json', `Content-Length: ${b.length}`] : []),
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)
    ].join('\r\n')
    sock.write(Buffer.concat([Buffer.from(head + '\r\n\r\n', 'latin1'), b ?? Buffer.alloc(0)]))
  })
}

async function stillUp(): Promise<void> {
  const page = await raw('GET', '/')
  expect(page.status).toBe(200)
  const info = await raw('POST', '/__ecs/rpc/app%3Ainfo', '[]')
  expect(info.status).toBe(200)
  expect(JSON.parse(info.body)).toMatchObject({ ok: true, value: { host: 'web' } })
}

beforeAll(async () => {
  const renderer = join(t.dir, 'renderer')
  mkdirSync(join(renderer, 'assets'), { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/a.js"></script></head><body></body></html>')
  writeFileSync(join(renderer, 'assets', 'a.js'), 'export {}\n')
  services = createServices({ host: 'web', workerFactory: nodeWorkerFactory, emit: () => {}, dbPath: join(t.dir, 'store.sqlite'), poolSize: 1 })
  server = await startWebServer(services, { rendererDir: renderer })
})

afterAll(async () => {
  await services?.close()
  await server?.close()
  t.cleanup()
})

const pathChars = ['/', '%', '.', 'a', 'Z', '0', '9', 'f', 'F', '_', '-', '~', '?', '=', '&', '#', '+', ';', '@', ':', 'é', '€', '\\', '%2e', '%2F', '%00', '%C0', '%ff', '__ecs', 'rpc', 'index.html', '..']

describe('web harness under hostile requests (token held)', () => {
  it('answers a bad percent-encoding (/% and friends) with 400 and stays up', async () => {
    for (const p of ['/%', '/%zz', '/assets/%E0%A4%A', '/%C0%AF', '/__ecs/rpc/%']) {
      const r = await raw(p.startsWith('/__ecs/rpc') ? 'POST' : 'GET', p, p.startsWith('/__ecs/rpc') ? '[]' : undefined)
      expect(r.status, p).toBeGreaterThanOrEqual(400)
      expect(r.status, p).toBeLessThan(500)
    }
    await stillUp()
  })

  it('survives generated paths', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...pathChars), { minLength: 0, maxLength: 12 }).map((parts) => '/' + parts.join('')),
        fc.constantFrom('GET', 'POST', 'PUT', 'HEAD', 'DELETE'),
        async (path, method) => {
          const r = await raw(method, path.replace(/[\s]/g, ''), method === 'POST' ? '[]' : undefined)
          expect(r.status).toBeGreaterThanOrEqual(200)
          expect(r.status).toBeLessThan(500)
        }
      ),
      { numRuns: 150, seed: 14 }
    )
    await stillUp()
  })

  it('survives generated RPC bodies (JSON, non-JSON, deep nesting) on real and unknown channels', async () => {
    const deep = fc.integer({ min: 1, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n))
    const deepObj = fc.integer({ min: 1, max: 20_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n))
    const body = fc.oneof(fc.json(), fc.string(), deep, deepObj, fc.json().map((j) => `[${j}]`), fc.constant('[{"text":"x","source":"y"}]'))
    const channel = fc.constantFrom('app%3Ainfo', 'presets%3Alist', 'campaigns%3Avalidate', 'runs%3Alist', 'runs%3Aget', 'layouts%3Alist', 'nope%3Anope', '%', '')
    await fc.assert(
      fc.asyncProperty(channel, body, async (ch, b) => {
        const r = await raw('POST', `/__ecs/rpc/${ch}`, b)
        expect(r.status).toBeGreaterThanOrEqual(200)
        expect(r.status).toBeLessThan(500)
        if (r.status === 200) {
          const env = JSON.parse(r.body) as { ok: boolean; error?: { message: string } }
          if (!env.ok) expect(env.error!.message).not.toMatch(/Maximum call stack/)
        }
      }),
      { numRuns: 150, seed: 14 }
    )
    await stillUp()
  })

  it('rejects a deep body with a clear error instead of a stack overflow', async () => {
    const r = await raw('POST', '/__ecs/rpc/campaigns%3Avalidate', '['.repeat(50_000) + ']'.repeat(50_000))
    expect(r.status).toBe(200)
    const env = JSON.parse(r.body) as { ok: boolean; error: { message: string; code: string } }
    expect(env.ok).toBe(false)
    expect(env.error.code).toBe('invalid-argument')
    expect(env.error.message).toMatch(/request body: nested deeper than 64 levels/)
    await stillUp()
  })
})
