import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCheckpointer } from './checkpointer.js';
import { openSqlite } from './database.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('the write-ahead log is copied into the database file by the worker, not by the connection that commits', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'suqiu-checkpointer-'));
  const file = join(dir, 'db.sqlite');
  const sqlite = openSqlite(file);
  try {
    sqlite.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const checkpointer = startCheckpointer(sqlite, file, 50);
    assert.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), 0, 'the server connection never checkpoints itself');

    const before = statSync(file).size;
    const insert = sqlite.prepare('INSERT INTO rows (body) VALUES (?)');
    // About 2,000 pages of log: past SQLite's own threshold of 1,000, which is off here.
    for (let i = 0; i < 200; i++)
      sqlite.transaction(() => {
        for (let j = 0; j < 10; j++) insert.run('x'.repeat(3000));
      })();
    // The worker's pass every 50 ms; a loaded machine may start the worker late, so wait up to 10 s for it.
    for (let waited = 0; statSync(file).size <= before + 4_000_000 && waited < 10_000; waited += 100) await pause(100);
    assert.ok(statSync(file).size > before + 4_000_000, 'the rows reached the database file');
    assert.equal((sqlite.prepare('SELECT count(*) AS n FROM rows').get() as { n: number }).n, 2000);

    await checkpointer.stop();
    await checkpointer.stop();
  } finally {
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
