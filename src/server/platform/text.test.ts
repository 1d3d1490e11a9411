import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ftsPhrase, indexTokens, nameGrams, queryWords } from './text.js';

test('Chinese is cut into words, the trade’s words kept whole', () => {
  assert.deepEqual(queryWords('业扩报装进度慢'), ['业扩报装', '进度', '慢']);
  assert.deepEqual(queryWords('峰谷电价'), ['峰谷电价']);
  assert.deepEqual(queryWords('酒店停电了！'), ['酒店', '停电', '了']);
});

test('the index holds each word and its sub-words, so a part of a long word finds it', () => {
  const tokens = indexTokens('业扩报装进度慢').split(' ');
  for (const word of ['业扩', '报装', '业扩报装', '进度']) assert.ok(tokens.includes(word), word);
});

test('punctuation and spaces never become tokens; letters are lower-cased', () => {
  assert.equal(indexTokens('，。！ ？'), '');
  assert.deepEqual(queryWords('APP 缴费'), ['app', '缴费']);
});

test('an FTS5 phrase escapes quotes', () => {
  assert.equal(ftsPhrase(['a"b', '停电']), '"a""b 停电"');
});

test('a name’s two-character pieces, once each, without spaces', () => {
  assert.deepEqual(nameGrams('麒麟云海酒店'), ['麒麟', '麟云', '云海', '海酒', '酒店']);
  assert.deepEqual(nameGrams('张 张张'), ['张张']);
  assert.deepEqual(nameGrams('王'), []);
});
