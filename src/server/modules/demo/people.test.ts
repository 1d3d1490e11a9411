import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCustomer } from './people.js';

const place = { countyName: '麒麟区供电局', stationName: '城关供电所', urban: true };

test('the same seed and index give the same customer, whatever came before', () => {
  assert.deepEqual(generateCustomer(7, 12345, place), generateCustomer(7, 12345, place));
  assert.notDeepEqual(generateCustomer(7, 12345, place), generateCustomer(8, 12345, place));
});

test('customers have Chinese names, ten-digit account numbers and dialable phones', () => {
  const accounts = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const c = generateCustomer(1, i, place);
    assert.match(c.name, /^[\u4e00-\u9fff]{2,}$/);
    assert.match(c.accountNo, /^\d{10}$/);
    assert.match(c.phone, /^(1\d{10}|0874-\d{7})$/);
    assert.ok(c.annualKwh > 0);
    accounts.add(c.accountNo);
  }
  assert.equal(accounts.size, 2000);
});

test('most customers are residential, a few are high-voltage', () => {
  const classes = new Map<string, number>();
  for (let i = 0; i < 5000; i++) {
    const c = generateCustomer(3, i, place).customerClass;
    classes.set(c, (classes.get(c) ?? 0) + 1);
  }
  assert.ok((classes.get('residential') ?? 0) > 4000);
  assert.ok((classes.get('high_voltage') ?? 0) > 50);
});
