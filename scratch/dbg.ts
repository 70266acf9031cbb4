import { Store } from '../src/main/store'
import { copyFileSync, rmSync } from 'node:fs'
import { fakeResult } from '../tests/unit/store/helpers'
for (const f of ['/tmp/rk/live.sqlite', '/tmp/rk/copy.sqlite']) for (const e of ['', '-wal', '-shm']) rmSync(f + e, { force: true })
const s = Store.open('/tmp/rk/live.sqlite')
s.db.pragma('wal_autocheckpoint = 0')
s.queueRuns([{ id: 'bbbb01', scenario_json: '{}', label: 'x', policy_id: 'kvm', policy_params_json: '{}', seed: 1, engine_version: 't', created_at: 1 }])
s.completeRun('bbbb01', fakeResult(1, 10), 1)
copyFileSync('/tmp/rk/live.sqlite', '/tmp/rk/copy.sqlite')
s.close()
