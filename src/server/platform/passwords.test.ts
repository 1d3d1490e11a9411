import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, verifyPassword } from './passwords.js';

test('a password verifies against its own hash and no other', async () => {
  const hash = await hashPassword('电力-95598-secret', 10);
  assert.match(hash, /^scrypt\$10\$8\$1\$/);
  assert.equal(await verifyPassword('电力-95598-secret', hash), true);
  assert.equal(await verifyPassword('电力-95598-Secret', hash), false);
  assert.equal(await verifyPassword('', hash), false);
});

test('two hashes of one password differ (salted)', async () => {
  const [a, b] = await Promise.all([hashPassword('same-password', 10), hashPassword('same-password', 10)]);
  assert.notEqual(a, b);
});

test('a malformed stored hash never verifies', async () => {
  assert.equal(await verifyPassword('x', 'plain-text'), false);
  assert.equal(await verifyPassword('x', 'bcrypt$1$2$3$4$5'), false);
});
