import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptySections, SECTION_KEYS, type SectionKey, type SectionsInput } from './sections.js';

test('a section is empty until it has text, or for 相关文件 a file, for 实际案例 a demand, for 常见问题 a question with its answer', () => {
  // Each section's ways of being filled in or not; the first option(s) of each leave it empty.
  const options: Record<SectionKey, { value: SectionsInput; filled: boolean }[]> = {
    rule: [
      { value: { rule: '' }, filled: false },
      { value: { rule: '规则' }, filled: true },
    ],
    script: [
      { value: { script: ' ' }, filled: false },
      { value: { script: '话术' }, filled: true },
    ],
    reminders: [
      { value: {}, filled: false },
      { value: { reminders: '提醒' }, filled: true },
    ],
    documents: [
      { value: { documents: '', attachments: [] }, filled: false },
      { value: { documents: '《规范》', attachments: [] }, filled: true },
      { value: { documents: '', attachments: [7] }, filled: true },
    ],
    cases: [
      { value: { cases: '\n', caseDemands: [] }, filled: false },
      { value: { cases: '案例' }, filled: true },
      { value: { caseDemands: ['D-1'] }, filled: true },
    ],
    faq: [
      { value: { faq: [] }, filled: false },
      { value: { faq: [{ q: '问', a: ' ' }, undefined] }, filled: false },
      {
        value: {
          faq: [
            { q: '', a: '答' },
            { q: '问', a: '答' },
          ],
        },
        filled: true,
      },
    ],
  };
  let combinations: { value: SectionsInput; empty: SectionKey[] }[] = [{ value: {}, empty: [] }];
  for (const key of SECTION_KEYS)
    combinations = combinations.flatMap((c) => options[key].map((o) => ({ value: { ...c.value, ...o.value }, empty: o.filled ? c.empty : [...c.empty, key] })));
  assert.equal(combinations.length, 2 * 2 * 2 * 3 * 3 * 3);
  for (const c of combinations) assert.deepEqual(emptySections(c.value), c.empty, JSON.stringify(c.value));
  assert.deepEqual(emptySections(undefined), [...SECTION_KEYS], 'a form not yet filled has all six to fill');
});
