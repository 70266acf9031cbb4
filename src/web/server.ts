/**
 * The loopback web harness: the real main-side services behind the same typed contract, served on
 * 127.0.0.1 with a per-run token, plus a small adapter script that gives the built renderer the same
 * `window.api` the preload gives it in Electron. Used by the end-to-end tests (Chromium via
 * playwright-core) and by `npm run web` on machines without a display.
 *
 * Security (loopback is not a trust boundary on a shared machine):
 *  - binds 127.0.0.1 only, rejects any Host header other than its own (DNS rebinding);
 *  - the first page load must carry `?token=`; the server answers with an HttpOnly SameSite=Strict
 *    cookie, and every other request needs that cookie (so other sites' pages cannot call the API);
 *  - RPC is POST with a JSON body and a matching Origin; arguments are validated by the contract.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import type { AddressInfo } from 'node:net'
import { eventChannelNames, invokeChannelNames, type EventChannel, type PayloadOf } from '../shared/ipc'
import { dispatch } from '../main/services/dispatch'
import { assertTextDepth } from '../shared/json-depth'
import type { Services } from '../main/services'

export interface WebServerOptions {
  /** Folder with the built renderer (out/renderer). */
  rendererDir: string
  /** Port to bind on 127.0.0.1; 0 (default) picks a free one. */
  port?: number
  token?: string
}

export interface WebServer {
  /** URL to open, token included. */
  url: string
  origin: string
  token: string
  /** Pushes a main -> renderer event to every connected page. */
  emit<E extends EventChannel>(channel: E, payload: PayloadOf<E>): void
  close(): Promise<void>
}

const COOKIE = 'ecs_lab_token'
const MAX_BODY = 8 * 1024 * 1024
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2', '.ico': 'image/x-icon'
}

/** The adapter: builds window.api from the contract's channel names, as the preload does. */
export function adapterSource(): string {
  return `(() => {
  'use strict';
  const invoke = ${JSON.stringify(invokeChannelNames)};
  const events = ${JSON.stringify(eventChannelNames)};
  const api = {};
  const listeners = new Map();
  const toError = (e) => Object.assign(new Error(e.message), { name: e.name, code: e.code });
  for (const channel of invoke) {
    const [domain, action] = channel.split(':');
    (api[domain] ??= {})[action] = async (...args) => {
      // IPC's structured clone keeps undefined, JSON turns it into null: drop trailing undefined
      // arguments so optional parameters stay absent, as they are over Electron IPC.
      while (args.length && args[args.length - 1] === undefined) args.pop();
      const res = await fetch('/__ecs/rpc/' + encodeURIComponent(channel), {
        method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args)
      });
      const env = await res.json();
      if (env.ok) return env.value;
      throw toError(env.error);
    };
  }
  for (const channel of events) {
    const [domain, action] = channel.split(':');
    const name = 'on' + action.charAt(0).toUpperCase() + action.slice(1);
    (api[domain] ??= {})[name] = (cb) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(cb);
      return () => listeners.get(channel).delete(cb);
    };
  }
  if (events.length) {
    const es = new EventSource('/__ecs/events');
    es.onmessage = (m) => {
      const { channel, payload } = JSON.parse(m.data);
      for (const cb of listeners.get(channel) ?? []) { try { cb(payload); } catch (e) { console.error(e); } }
    };
  }
  Object.defineProperty(window, 'api', { value: Object.freeze(api), writable: false, configurable: false });
})();
`
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function cookieToken(req: IncomingMessage): string | undefined {
  const raw = req.headers.cookie
  if (!raw) return undefined
  for (const part of raw.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === COOKIE) return v.join('=')
  }
  return undefined
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export async function startWebServer(services: Services, opts: WebServerOptions): Promise<WebServer & { attach(s: Services): void }> {
  const token = opts.token ?? randomBytes(24).toString('hex')
  const sse = new Set<ServerResponse>()
  let current = services
  let origin = ''
  const root = normalize(opts.rendererDir)

  function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra })
    res.end(body)
  }

  async function serveFile(res: ServerResponse, path: string, setCookie: boolean): Promise<void> {
    const rel = path === '/' ? '/index.html' : decodeURIComponent(path)
    const file = normalize(join(root, rel))
    if (!file.startsWith(root + sep) && file !== root) return send(res, 403, 'forbidden')
    let body: Buffer
    try {
      body = await readFile(file)
    } catch {
      return send(res, 404, 'not found')
    }
    const extra: Record<string, string> = setCookie ? { 'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` } : {}
    if (rel === '/index.html') {
      const html = body.toString('utf8').replace('<script type="module"', '<script src="/__ecs/adapter.js"></script>\n    <script type="module"')
      return send(res, 200, html, TYPES['.html'], extra)
    }
    send(res, 200, body, TYPES[extname(file)] ?? 'application/octet-stream', extra)
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        // The request target is a path: '//x' would parse as a protocol-relative URL, so it is read as one.
        let url: URL
        try {
          url = new URL(`${origin || 'http://127.0.0.1'}${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? '/'}`)
        } catch {
          return send(res, 400, 'bad request: malformed request path')
        }
        if (req.headers.host !== new URL(origin).host) return send(res, 421, 'wrong host')
        const queryToken = url.searchParams.get('token')
        const authed = (queryToken !== null && safeEqual(queryToken, token)) || safeEqual(cookieToken(req) ?? '', token)
        if (!authed) return send(res, 401, 'eCS Lab web harness: open the URL printed at start-up (it carries the access token).')
        if (url.pathname === '/__ecs/adapter.js') return send(res, 200, adapterSource(), TYPES['.js'])
        if (url.pathname === '/__ecs/events') {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
          res.write(': connected\n\n')
          sse.add(res)
          req.on('close', () => sse.delete(res))
          return
        }
        if (url.pathname.startsWith('/__ecs/rpc/')) {
          if (req.method !== 'POST') return send(res, 405, 'POST only')
          if (req.headers.origin !== origin) return send(res, 403, 'bad origin')
          const channel = decodeURIComponent(url.pathname.slice('/__ecs/rpc/'.length))
          let args: unknown
          try {
            const body = await readBody(req)
            assertTextDepth(body, 'request body')
            args = JSON.parse(body)
          } catch (err) {
            return send(res, 200, JSON.stringify({ ok: false, error: { name: 'ValidationError', message: `bad request body: ${(err as Error).message}`, code: 'invalid-argument' } }), TYPES['.json'])
          }
          const env = await dispatch(current.handlers, channel, args)
          return send(res, 200, JSON.stringify(env), TYPES['.json'])
        }
        if (req.method !== 'GET') return send(res, 405, 'GET only')
        // awaited, so a failure inside (a bad percent-encoding: URIError) lands in the catch below
        return await serveFile(res, url.pathname, queryToken !== null)
      } catch (err) {
        if (err instanceof URIError) return send(res, 400, 'bad request: malformed percent-encoding in the path')
        if (res.headersSent) res.destroy()
        else send(res, 500, (err as Error).message)
      }
    })()
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  origin = `http://127.0.0.1:${port}`

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    attach(s: Services) {
      current = s
    },
    emit(channel, payload) {
      const data = `data: ${JSON.stringify({ channel, payload })}\n\n`
      for (const res of sse) res.write(data)
    },
    async close() {
      for (const res of sse) res.end()
      sse.clear()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
    }
  }
}
