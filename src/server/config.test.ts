import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.js';

test('defaults follow API.md: port 3000, ./data, SQLite, demo password suqiu-demo', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.host, '0.0.0.0');
  assert.match(config.dataDir, /\/data$/);
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.demoPassword, 'suqiu-demo');
});

test('DATABASE_URL selects PostgreSQL; an empty one means SQLite', () => {
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).databaseUrl, 'postgres://u@h:5432/db');
  assert.equal(loadConfig({ DATABASE_URL: '' }).databaseUrl, undefined);
});

test('a wrong value stops the start with a message naming the variable', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty' }),
    (err: unknown) => err instanceof ConfigError && /PORT/.test(err.message),
  );
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ SUQIU_DEMO_PASSWORD: 'short' }), /SUQIU_DEMO_PASSWORD: must be at least 8/);
});

test('SUQIU_TIME_ZONE: Asia/Shanghai unless set, an IANA name in its canonical spelling, an unknown one refused by name', () => {
  assert.equal(loadConfig({}).timeZone, 'Asia/Shanghai');
  assert.equal(loadConfig({ SUQIU_TIME_ZONE: 'Europe/Berlin' }).timeZone, 'Europe/Berlin');
  assert.equal(loadConfig({ SUQIU_TIME_ZONE: 'asia/urumqi' }).timeZone, 'Asia/Urumqi');
  assert.throws(
    () => loadConfig({ SUQIU_TIME_ZONE: 'Beijing' }),
    (err: unknown) => err instanceof ConfigError && /SUQIU_TIME_ZONE: "Beijing" is not a time zone/.test(err.message),
  );
  assert.throws(() => loadConfig({ SUQIU_TIME_ZONE: '' }), /SUQIU_TIME_ZONE/);
});
