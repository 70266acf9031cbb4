import Database from 'better-sqlite3'
import { Store } from '../src/main/store'
import { fakeResult } from '../tests/unit/store/helpers'
import { openSync, writeSync, closeSync, statSync, rmSync } from 'node:fs'
const p = '/tmp/rk/exp.sqlite'
rmSync(p, { force: true }); rmSync(p + '-wal', { force: true }); rmSync(p + '-shm', { force: true })
const s = Store.open(p)
const nr = (id: string, seed: number) => ({ id, scenario_json: '{}', label: 'x', policy_id: 'kvm', policy_params_json: '{}', seed, engine_version: 't', created_at: 1 })
s.queueRuns([nr('r1', 1), nr('r2', 2)])
s.completeRun('r1', fakeResult(1, 3000), 1)
s.completeRun('r2', fakeResult(2, 3000), 1)
s.close()
const db = new Database(p)
let dbstat = true
try { console.log(db.prepare("SELECT pageno, pagetype, name FROM dbstat WHERE pagetype='overflow' LIMIT 3").all()) } catch (e) { dbstat = false; console.log('no dbstat', String(e)) }
const pages = statSync(p).size / 4096
console.log('pages', pages)
const row = db.prepare("SELECT pageno FROM dbstat WHERE pagetype='overflow' AND name='series' LIMIT 1").get() as { pageno: number } | undefined
db.close()
const pg = row?.pageno ?? pages
const fd = openSync(p, 'r+')
const buf = Buffer.alloc(4096); for (let i = 0; i < 4096; i++) buf[i] = (i * 131 + 7) & 0xff
writeSync(fd, buf, 0, 4096, (pg - 1) * 4096); closeSync(fd)
const d2 = new Database(p)
console.log('quick', d2.pragma('quick_check', { simple: true }))
console.log('integ', d2.pragma('integrity_check(3)'))
// uri test
try { const u = new Database('file:' + p + '?immutable=1', { readonly: true }); console.log('uri ok', u.pragma('user_version', { simple: true })); u.close() } catch (e) { console.log('uri fail', String(e)) }
