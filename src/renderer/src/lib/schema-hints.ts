/**
 * Field descriptions from the shared zod schema's `.meta({description})`, looked up by dotted path
 * (`host.ple.gap`, `vms.0.vcpus`), so the designer's help texts are the schema's own (pure).
 */
import { ScenarioInputSchema } from '../../../shared/scenario'

interface Walkable {
  meta?: () => { description?: string } | undefined
  unwrap?: () => unknown
  shape?: Record<string, unknown>
  element?: unknown
}

function metaOf(s: Walkable): string | undefined {
  try {
    return s.meta?.()?.description
  } catch {
    return undefined
  }
}

/** The schema's description of the field at `path`, or undefined. */
export function schemaHint(path: string, root: unknown = ScenarioInputSchema): string | undefined {
  let node = root as Walkable
  let desc: string | undefined
  for (const seg of path.split('.')) {
    // unwrap default/optional layers, remembering any description on the way
    for (let guard = 0; guard < 5 && !node.shape && !node.element && node.unwrap; guard++) node = node.unwrap() as Walkable
    if (/^\d+$/.test(seg)) {
      if (!node.element) return undefined
      node = node.element as Walkable
      continue
    }
    const next = node.shape?.[seg] as Walkable | undefined
    if (!next) return undefined
    node = next
    desc = metaOf(node)
    for (let guard = 0; guard < 5 && !desc && node.unwrap && !node.shape && !node.element; guard++) {
      node = node.unwrap() as Walkable
      desc = metaOf(node)
    }
  }
  return desc
}
