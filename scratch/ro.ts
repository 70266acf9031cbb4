import Database from 'better-sqlite3'
for (const opts of [{ readonly: true, fileMustExist: true }]) {
  try { const d = new Database('/tmp/rk/ro/k.sqlite', opts); console.log('jm', d.pragma('journal_mode', { simple: true })); console.log(d.prepare('select count(*) n from runs').get()); d.close() } catch (e) { console.log('fail', (e as any).code, String(e)) }
}
