import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, missingSections, searchWords, reviewTransition, revisionDueAt, revisionState, snippet, type Sections } from './rules.js';

const editor = { id: 1, isAuthor: true };
const reviewer = { id: 2, isAuthor: false };

test('the review workflow: draft → submitted → approved or rejected; a rejected version is edited and submitted again', () => {
  assert.equal(reviewTransition('draft', 'submit', editor), 'submitted');
  assert.equal(reviewTransition('submitted', 'approve', reviewer), 'approved');
  assert.equal(reviewTransition('submitted', 'reject', reviewer), 'rejected');
  assert.equal(reviewTransition('rejected', 'edit', editor), 'draft');
  assert.equal(reviewTransition('rejected', 'submit', editor), 'submitted');
  assert.deepEqual(reviewTransition('submitted', 'approve', editor), { refused: 'an editor may not approve their own version', forbidden: true });
  assert.ok(typeof reviewTransition('draft', 'approve', reviewer) === 'object', 'a draft is not approved before it is submitted');
  assert.ok(typeof reviewTransition('submitted', 'edit', editor) === 'object', 'not edited under review');
  assert.ok(typeof reviewTransition('approved', 'edit', editor) === 'object', 'a published version is revised, not edited');
});

test('the revision clock: a year after publication; due soon within 30 days; overdue after', () => {
  assert.equal(revisionDueAt('2026-03-15T02:00:00.000Z'), '2027-03-15T02:00:00.000Z');
  assert.equal(revisionDueAt('2028-02-29T02:00:00.000Z'), '2029-02-28T02:00:00.000Z');
  const due = '2027-03-15T02:00:00.000Z';
  assert.equal(revisionState(due, new Date('2027-01-01T00:00:00.000Z')), 'ok');
  assert.equal(revisionState(due, new Date('2027-03-01T00:00:00.000Z')), 'due_soon');
  assert.equal(revisionState(due, new Date('2027-03-15T02:00:00.000Z')), 'overdue');
  assert.equal(revisionState(null, new Date()), 'none');
});

const sections = (over: Partial<Sections> = {}): Sections => ({
  rule: '居民客户可申请峰谷电价。',
  script: '您好，峰谷电价需到营业厅申请。',
  reminders: '',
  documents: '',
  cases: '',
  faq: [{ q: '何时生效？', a: '次月生效。' }],
  attachments: [],
  caseDemands: [],
  ...over,
});

test('two versions compared section by section: only the changed ones, with what was added and removed', () => {
  const diff = compareVersions(
    { title: '峰谷电价', sections: sections() },
    { title: '峰谷电价', sections: sections({ script: '您好，峰谷电价可在网上国网申请。', faq: [{ q: '何时生效？', a: '申请次月生效。' }] }) },
  );
  const changed = diff.filter((d) => d.changed).map((d) => d.section);
  assert.deepEqual(changed, ['script', 'faq']);
  const script = diff.find((d) => d.section === 'script')!;
  assert.equal(
    script.pieces
      .filter((p) => p.op === 'removed')
      .map((p) => p.text)
      .join(''),
    '需到营业厅',
  );
  assert.equal(
    script.pieces
      .filter((p) => p.op === 'added')
      .map((p) => p.text)
      .join(''),
    '可在网上国网',
  );
  assert.equal(
    script.pieces
      .filter((p) => p.op !== 'added')
      .map((p) => p.text)
      .join(''),
    '您好，峰谷电价需到营业厅申请。',
    'the old text is the pieces not added',
  );
});

test('a snippet: a window around the first match, every match marked, the rest escaped', () => {
  const text = '客户反映<家中>停电。'.padStart(120, '说明') + '如遇停电，先查看表后开关。';
  const s = snippet(text, ['停电'], 40);
  assert.ok(s.startsWith('…'));
  assert.match(s, /<em>停电<\/em>/);
  assert.match(s, /&lt;家中&gt;/);
  assert.doesNotMatch(s, /<家中>/);
  assert.equal(snippet('电压质量问题', ['电压', '电压质量']), '<em>电压质量</em>问题', 'the longest word wins');
});

test('an article goes to review and is published only with all six sections filled', () => {
  const full: Sections = {
    rule: '规则',
    script: '话术',
    reminders: '注意',
    documents: '',
    cases: '',
    faq: [{ q: '问', a: '答' }],
    attachments: [3],
    caseDemands: ['2026112300001'],
  };
  assert.deepEqual(missingSections(full), [], 'a file fills 相关文件, a cited demand 实际案例');
  const two = { ...full, reminders: ' ', attachments: [], caseDemands: [], faq: [{ q: '问', a: '' }] };
  assert.deepEqual(
    missingSections(two).map((m) => m.name),
    ['坐席提醒', '相关文件', '实际案例', '常见问题'],
  );
});

const DEFAULT_SYNONYMS = [
  { phrase: '没电', words: '停电' },
  { phrase: '没有电', words: '停电' },
];

test('everyday words search the articles’ words: 家里没电了 searches 停电; the filler is dropped', () => {
  const segment = (text: string) => text.split(/\s+|(?=[了很])|(?<=[了很])/u).filter(Boolean);
  assert.deepEqual(searchWords('家里没电了', DEFAULT_SYNONYMS, segment), ['停电']);
  assert.deepEqual(searchWords('家里没有电', DEFAULT_SYNONYMS, segment), ['停电'], 'the longer phrase first: 没有电, not 没电');
  assert.deepEqual(searchWords('电费贵', [{ phrase: '电费贵', words: '电价 偏高' }], segment), ['电价', '偏高'], 'the list is data');
  assert.deepEqual(searchWords('了', DEFAULT_SYNONYMS, segment), ['了'], 'nothing but filler: searched as said');
});
