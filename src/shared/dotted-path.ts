/**
 * The one dotted-path setter (`host.hz`, `vms.1.vcpus`, `policy.params.vetoCap`) shared by the CLI's
 * `--set`, campaign sweeps (including `policy.params.*`) and the app's `campaigns:validate`.
 *
 * Prototype safety: a path segment `__proto__`, `constructor` or `prototype` is refused with an error
 * naming the path, and the walk reads own properties only, so no path can reach (and write to)
 * `Object.prototype` or any other shared prototype: `--set __proto__.polluted=1` is an error, not a
 * write to every object of the process.
 */

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])

export class PathError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PathError'
  }
}

/** Splits and checks a dotted path; `where` prefixes errors (e.g. `--set`, `sweep`). */
export function pathSegments(path: string, where: string): string[] {
  const parts = path.split('.')
  if (path === '' || parts.some((p) => p === '')) throw new PathError(`${where} ${JSON.stringify(path)}: empty path segment (expected e.g. host.hz or vms.0.vcpus)`)
  const bad = parts.find((p) => FORBIDDEN.has(p))
  if (bad !== undefined) {
    throw new PathError(`${where} ${path}: the segment '${bad}' is not allowed (paths name scenario fields; __proto__, constructor and prototype are refused)`)
  }
  return parts
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
const own = (o: object, key: string): unknown => (Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined)
const isIndex = (s: string): boolean => /^\d+$/.test(s)

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T)
}

/** Defines an own, plain data property (never a setter, never the prototype). */
function put(o: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true })
}

export interface SetPathOptions {
  /** Error prefix naming the source of the path, e.g. `--set` or `sweep`. */
  where: string
  /**
   * The resolved base the path points into (campaign sweeps): a missing list along the way is copied
   * from it, an index must exist in it or in the target, and a missing key followed by an index is an
   * error. Without it (CLI --set), missing objects and lists are created as the next segment suggests.
   */
  reference?: unknown
}

/** Sets `value` (a copy) at `path` in `target`, creating what is missing on the way; mutates `target`. */
export function setDottedPath(target: Record<string, unknown>, path: string, value: unknown, opts: SetPathOptions): void {
  const parts = pathSegments(path, opts.where)
  const strict = opts.reference !== undefined
  const where = `${opts.where} ${path}`
  let cur: Record<string, unknown> | unknown[] = target
  let ref: unknown = opts.reference
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i]!
    const last = i === parts.length - 1
    const refChild: unknown = ref !== null && typeof ref === 'object' ? own(ref, key) : undefined
    if (Array.isArray(cur)) {
      if (!isIndex(key)) throw new PathError(`${where}: '${parts.slice(0, i).join('.')}' is a list; use an index, not '${key}'`)
      const idx = Number(key)
      if (strict) {
        // Overrides merge into a preset's lists by index: a shorter override list is padded with {}
        // (which leaves the preset's element unchanged) up to the element being set.
        if (idx >= cur.length && Array.isArray(ref) && idx < ref.length && isObject(ref[idx])) {
          while (cur.length <= idx) cur.push({})
        }
        if (idx >= cur.length) throw new PathError(`${where}: index ${idx} is out of range ('${parts.slice(0, i).join('.')}' has ${cur.length} item${cur.length === 1 ? '' : 's'}, allowed 0..${cur.length - 1})`)
      } else if (idx > 100_000) throw new PathError(`${where}: index ${idx} is out of range (at most 100000)`)
      if (last) {
        put(cur, idx, clone(value))
        return
      }
      let next = cur[idx]
      if (next === undefined && !strict) {
        next = isIndex(parts[i + 1]!) ? [] : {}
        put(cur, idx, next)
      }
      if (next === null || typeof next !== 'object') throw new PathError(`${where}: '${parts.slice(0, i + 1).join('.')}' is not an object`)
      cur = next as Record<string, unknown> | unknown[]
    } else {
      if (last) {
        put(cur, key, clone(value))
        return
      }
      let next = own(cur, key)
      if (next === undefined || (!strict && (next === null || typeof next !== 'object'))) {
        if (strict) {
          next = Array.isArray(refChild) ? clone(refChild) : isObject(refChild) ? {} : isIndex(parts[i + 1]!) ? undefined : {}
          if (next === undefined) throw new PathError(`${where}: '${parts.slice(0, i + 1).join('.')}' does not exist in the scenario`)
        } else {
          next = isIndex(parts[i + 1]!) ? [] : {}
        }
        put(cur, key, next)
      }
      if (next === null || typeof next !== 'object') throw new PathError(`${where}: '${parts.slice(0, i + 1).join('.')}' is not an object or list`)
      cur = next as Record<string, unknown> | unknown[]
    }
    ref = refChild
  }
}
