import { openDatabase } from '../src/main/store/db'
import { Store } from '../src/main/store'
try { const s = Store.open('/tmp/rk/exp.sqlite', { readOnly: true, mustExist: true, check: 'none' }); console.log(s.db.pragma('integrity_check(20)')) } catch (e) { console.log((e as Error).stack) }
