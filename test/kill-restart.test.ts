import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

// The kill-restart script with modest numbers: a server SIGKILLed under load
// and restarted loses no demand answered 201 and registers none twice.

test('a server killed under load and restarted: every 201 is in the database once, retries with the same key create nothing new', { timeout: 60_000 }, () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/kill-restart.ts', '--clients', '4', '--requests', '80', '--kills', '1'], {
    encoding: 'utf8',
    timeout: 55_000,
    env: { ...process.env, SUQIU_SCRYPT_LOG2N: '10' },
  });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /no loss, no duplicate/);
  assert.match(run.stdout, /SIGKILLs, restart time\s+1,/);
});
