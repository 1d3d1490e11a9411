#!/usr/bin/env node
// `npm test`: every unit test beside the code, the API tests on SQLite (and on
// PostgreSQL when TEST_DATABASE_URL is set), and the browser tests in Debian's
// Chromium. Under CI=true a missing PostgreSQL or Chromium fails the run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ci = process.env.CI === 'true';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function find(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(path).isDirectory()) find(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : [...find('src'), ...find('test'), ...find('e2e')].sort();

if (!process.env.TEST_DATABASE_URL) {
  if (ci) {
    console.error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL half of the suite cannot be skipped in CI');
    process.exit(1);
  }
  console.warn('\n*** TEST_DATABASE_URL is not set: data tests run on SQLite only, PostgreSQL is SKIPPED ***\n');
}

if (files.some((f) => f.startsWith('e2e'))) {
  if (existsSync(chromium)) {
    // Browser tests drive the built web app.
    const build = spawnSync('npm', ['run', '-s', 'build:web'], { stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  } else if (ci) {
    console.error(`CI=true but ${chromium} is missing: browser tests cannot be skipped in CI`);
    process.exit(1);
  }
}

const env = { ...process.env, SUQIU_SCRYPT_LOG2N: process.env.SUQIU_SCRYPT_LOG2N ?? '10', NODE_ENV: 'test' };
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
