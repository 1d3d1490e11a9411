import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ancestorsOf, parentKindAllowed, subtreeOf, visibleUnits, wouldCreateCycle, type UnitNode } from './rules.js';

// bureau 1 ─┬─ centre 2
//           ├─ department 3
//           ├─ county 4 ─┬─ station 5
//           │            └─ station 6
//           └─ county 7 ── station 8
const tree: UnitNode[] = [
  { id: 1, parentId: null, kind: 'bureau' },
  { id: 2, parentId: 1, kind: 'centre' },
  { id: 3, parentId: 1, kind: 'department' },
  { id: 4, parentId: 1, kind: 'county' },
  { id: 5, parentId: 4, kind: 'station' },
  { id: 6, parentId: 4, kind: 'station' },
  { id: 7, parentId: 1, kind: 'county' },
  { id: 8, parentId: 7, kind: 'station' },
];

test('a subtree holds the unit and everything below it, nothing beside it', () => {
  assert.deepEqual([...subtreeOf(tree, 4)].sort(), [4, 5, 6]);
  assert.deepEqual([...subtreeOf(tree, 8)], [8]);
  assert.equal(subtreeOf(tree, 1).size, 8);
});

test('ancestors run from the unit to the root', () => {
  assert.deepEqual(ancestorsOf(tree, 5), [5, 4, 1]);
  assert.deepEqual(ancestorsOf(tree, 1), [1]);
});

test('a unit cannot move under itself or its descendants', () => {
  assert.equal(wouldCreateCycle(tree, 4, 5), true);
  assert.equal(wouldCreateCycle(tree, 4, 4), true);
  assert.equal(wouldCreateCycle(tree, 5, 7), false);
  assert.equal(wouldCreateCycle(tree, 4, null), false);
});

test('a county handler sees its county and stations, never the sibling county', () => {
  const seen = visibleUnits(tree, { unitId: 4, roles: ['handler'] });
  assert.deepEqual([...seen].sort(), [4, 5, 6]);
  assert.equal(seen.has(7), false);
  assert.equal(seen.has(8), false);
});

test('a station handler sees only its station', () => {
  assert.deepEqual([...visibleUnits(tree, { unitId: 5, roles: ['handler'] })], [5]);
});

test('a centre agent sees the whole bureau', () => {
  assert.equal(visibleUnits(tree, { unitId: 2, roles: ['agent'] }).size, 8);
});

test('the widest role wins when a user holds several', () => {
  assert.equal(visibleUnits(tree, { unitId: 5, roles: ['handler', 'analyst'] }).size, 8);
});

test('kinds stand only under the kinds the organisation allows', () => {
  assert.equal(parentKindAllowed('bureau', null), true);
  assert.equal(parentKindAllowed('station', 'county'), true);
  assert.equal(parentKindAllowed('county', 'county'), false);
  assert.equal(parentKindAllowed('centre', null), false);
  assert.equal(parentKindAllowed('station', 'station'), false);
});
