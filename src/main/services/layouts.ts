/** layouts:* — named scenarios; each saved scenario is a new version. */
import { randomUUID } from 'node:crypto'
import { ApiError, type Handlers } from '../../shared/ipc'
import type { Layout } from '../../shared/ipc/layouts'
import type { Scenario } from '../../shared/scenario'
import type { Store } from '../store'
import type { ServiceContext } from './context'

type LayoutHandlers = Pick<Handlers, 'layouts:list' | 'layouts:get' | 'layouts:create' | 'layouts:update' | 'layouts:delete'>

export function readLayout(store: Store, id: string, version?: number): Layout {
  const row = store.layouts.get(id)
  if (!row) throw new ApiError(`layout ${id} not found`, 'not-found')
  const v = version ?? row.latest_version
  const ver = store.layouts.version(id, v)
  if (!ver) throw new ApiError(`layout ${row.name} has no version ${v} (versions 1..${row.latest_version})`, 'not-found')
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    latestVersion: row.latest_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    runCount: store.layouts.runCount(id),
    version: v,
    scenario: JSON.parse(ver.scenario_json) as Scenario,
    versions: store.layouts.versions(id).map((x) => ({ version: x.version, note: x.note, createdAt: x.created_at }))
  }
}

export function layoutsHandlers(ctx: ServiceContext): LayoutHandlers {
  return {
    'layouts:list': () =>
      ctx.store().layouts.list().map((r) => ({
        id: r.id, name: r.name, description: r.description, latestVersion: r.latest_version, createdAt: r.created_at, updatedAt: r.updated_at, runCount: r.run_count
      })),
    'layouts:get': (id, version) => readLayout(ctx.store(), id, version),
    'layouts:create': (args) => {
      const scenario = ctx.resolve(args.scenario)
      const store = ctx.store()
      const id = randomUUID()
      const now = Date.now()
      store.db.transaction(() => {
        if (store.layouts.byName(args.name)) throw new ApiError(`a layout named '${args.name}' already exists`, 'conflict')
        store.layouts.insert({ id, name: args.name, description: args.description, latest_version: 1, created_at: now, updated_at: now })
        store.layouts.insertVersion({ layout_id: id, version: 1, scenario_json: JSON.stringify(scenario), note: args.note, created_at: now })
      }).immediate()
      return readLayout(store, id)
    },
    'layouts:update': (args) => {
      const scenario = args.scenario ? ctx.resolve(args.scenario) : undefined
      const store = ctx.store()
      const now = Date.now()
      store.db.transaction(() => {
        const row = store.layouts.get(args.id)
        if (!row) throw new ApiError(`layout ${args.id} not found`, 'not-found')
        if (args.expectedVersion !== undefined && args.expectedVersion !== row.latest_version) {
          throw new ApiError(`layout ${row.name} is at version ${row.latest_version}, not ${args.expectedVersion}: reload it`, 'conflict')
        }
        const name = args.name ?? row.name
        if (name !== row.name && store.layouts.byName(name)) throw new ApiError(`a layout named '${name}' already exists`, 'conflict')
        let latest = row.latest_version
        if (scenario) {
          latest += 1
          store.layouts.insertVersion({ layout_id: row.id, version: latest, scenario_json: JSON.stringify(scenario), note: args.note, created_at: now })
        }
        store.layouts.update(row.id, name, args.description ?? row.description, latest, now)
      }).immediate()
      return readLayout(store, args.id)
    },
    'layouts:delete': (id) => ({ deleted: ctx.store().layouts.delete(id) })
  }
}
