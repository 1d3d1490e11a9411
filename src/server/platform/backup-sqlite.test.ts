import { test } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../db/database.js';
import { sqliteBackup } from './backup-sqlite.js';

test('the online copy stays consistent while another connection commits between its steps', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'suqiu-sqlite-backup-'));
  try {
    const data = join(dir, 'data');
    const work = join(dir, 'work');
    mkdirSync(work);
    const live = openSqlite(join(data, 'suqiu.db'));
    live.exec(
      'CREATE TABLE demands (id INTEGER PRIMARY KEY, content TEXT NOT NULL); CREATE TABLE timeline (id INTEGER PRIMARY KEY, demand_id INTEGER NOT NULL)',
    );
    const register = live.transaction((content: string) => {
      const id = live.prepare('INSERT INTO demands (content) VALUES (?)').run(content).lastInsertRowid;
      live.prepare('INSERT INTO timeline (demand_id) VALUES (?)').run(id);
    });
    for (let i = 0; i < 2000; i++) register('x'.repeat(1000)); // about 500 pages: several steps of the copy

    // A demand and its timeline row in one transaction, committed between the copy's steps.
    let writing = true;
    let written = 0;
    const write = () => {
      if (!writing) return;
      register(`written during the copy ${written++}`);
      setImmediate(write);
    };
    setImmediate(write);
    const snapshot = await sqliteBackup(data).snapshot(work);
    writing = false;
    live.close();

    assert.ok(written > 0);
    assert.match(snapshot.note ?? '', /the server wrote during the copy/);
    assert.equal(snapshot.counts.demands! >= 2000 && snapshot.counts.demands! <= 2000 + written, true);
    const copy = new BetterSqlite3(snapshot.path, { readonly: true });
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(copy.pragma('journal_mode', { simple: true }), 'delete', 'one self-contained file');
    const count = (table: string) => copy.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    assert.equal(count('timeline'), count('demands'), 'every demand copied has its timeline row');
    copy.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
