import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDatabase } from '../src/server/db/database.js';
import { startScheduler } from '../src/server/platform/scheduler.js';
import { runSchedulerPass } from '../src/server/scheduler.js';
import { testDatabases } from './helpers/databases.js';

const postgres = testDatabases().find((d) => d.name === 'postgres');

describe('one scheduler per deployment', () => {
  test(
    'on PostgreSQL, of two app servers only the holder of the advisory lock runs the scheduler; the other takes over when it stops',
    { skip: postgres ? false : 'TEST_DATABASE_URL not set' },
    async () => {
      const { database, cleanup } = await postgres!.open();
      const second = createDatabase({ dialect: 'postgres', url: process.env.TEST_DATABASE_URL!, searchPath: database.schema!, poolSize: 2 });
      const log = () => undefined;
      const a = startScheduler(database, { intervalMs: 50, clock: () => new Date(), pass: (now) => runSchedulerPass(database.db, now), log });
      const b = startScheduler(second, { intervalMs: 50, clock: () => new Date(), pass: (now) => runSchedulerPass(second.db, now), log });
      try {
        await new Promise((r) => setTimeout(r, 400));
        assert.equal([a.isLeader(), b.isLeader()].filter(Boolean).length, 1, 'exactly one leader');
        const [leader, follower] = a.isLeader() ? [a, b] : [b, a];
        await leader.stop();
        await new Promise((r) => setTimeout(r, 400));
        assert.equal(follower.isLeader(), true, 'the other takes over');
      } finally {
        await a.stop();
        await b.stop();
        await second.close();
        await cleanup();
      }
    },
  );
});
