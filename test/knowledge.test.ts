import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runSchedulerPass } from '../src/server/scheduler.js';
import { refusedSections } from '../src/web/pages/knowledge/sections.js';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, type Client, type TestApp } from './helpers/app.js';

// The knowledge base through the API: the review workflow and its refusals,
// versions kept and compared, the yearly revision clock, and search that works
// on Chinese words (segmented), ranked with the title above the body.

// All six sections filled (a version goes to review only so), in words none of the searches below look for.
const sections = (rule: string, script = '您好，请问有什么可以帮您？', extra: Record<string, unknown> = {}) => ({
  rule,
  script,
  reminders: '答复前先核实户号。',
  documents: '《95598业务工作规范》',
  cases: '某客户来电咨询，坐席按规范答复，客户满意。',
  faq: [{ q: '在哪里查询进度？', a: '可拨打95598查询。' }],
  ...extra,
});

for (const target of testDatabases()) {
  describe(`the knowledge base (${target.name})`, () => {
    let t: TestApp;
    let now = new Date('2026-11-23T02:00:00.000Z');
    let editor: Client;
    let reviewer: Client;
    let agent: Client;

    /** Created, submitted and approved: published. */
    const publish = async (body: Record<string, unknown>) => {
      const created = await editor.post('/api/articles', body);
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as number;
      assert.equal((await editor.post(`/api/articles/${id}/submit`)).statusCode, 200);
      const approved = await reviewer.post(`/api/articles/${id}/approve`, {});
      assert.equal(approved.statusCode, 200, approved.body);
      return id;
    };
    const search = async (q: string, extra = '') =>
      (await agent.get(`/api/articles/search?q=${encodeURIComponent(q)}${extra}`)).json() as {
        items: { id: number; title: string; snippet: string; score: number }[];
        total: number;
      };

    before(async () => {
      t = await startTestApp(target, { clock: () => now });
      editor = await t.login('kb_editor');
      reviewer = await t.login('kb_reviewer');
      agent = await t.login('agent');
    });
    after(() => t.close());

    test('draft → rejected with a comment → edited → submitted → approved: public only once approved; nobody approves their own', async () => {
      const created = await editor.post('/api/articles', {
        title: '峰谷分时电价申请',
        category: 'supply_service',
        tags: ['电费电价'],
        sections: sections('居民客户可自愿选择执行峰谷分时电价，按月结算。', '您好，峰谷分时电价可在营业厅或网上国网申请。', {
          faq: [{ q: '何时生效？', a: '申请的次月生效。' }],
        }),
      });
      assert.equal(created.statusCode, 201, created.body);
      const a = created.json();
      assert.deepEqual([a.published, a.draft.status, a.draft.number, a.audience], [null, 'draft', 1, 'agents']);
      assert.equal((await agent.get(`/api/articles/${a.id}`)).statusCode, 404, 'a draft is not public');
      assert.equal((await search('峰谷分时电价')).total, 0);
      assert.equal((await editor.post(`/api/articles/${a.id}/approve`, {})).statusCode, 403, 'an editor does not approve');
      assert.equal((await reviewer.post(`/api/articles/${a.id}/approve`, {})).statusCode, 409, 'not submitted yet');

      assert.equal((await editor.post(`/api/articles/${a.id}/submit`)).json().draft.status, 'submitted');
      assert.equal(
        (await editor.put(`/api/articles/${a.id}`, { title: 'x', category: 'supply_service', sections: sections('x') })).statusCode,
        409,
        'not edited under review',
      );
      const noReason = await reviewer.post(`/api/articles/${a.id}/reject`, {});
      assert.equal(noReason.statusCode, 400);
      const rejected = await reviewer.post(`/api/articles/${a.id}/reject`, { comment: '请补充生效时间的说明' });
      assert.deepEqual([rejected.json().draft.status, rejected.json().draft.reviewComment], ['rejected', '请补充生效时间的说明']);
      assert.equal((await agent.get(`/api/articles/${a.id}`)).statusCode, 404, 'a rejected draft is not public');

      const edited = await editor.put(`/api/articles/${a.id}`, {
        title: '峰谷分时电价申请',
        category: 'supply_service',
        tags: ['电费电价'],
        sections: sections('居民客户可自愿选择执行峰谷分时电价，按月结算，申请次月生效。', '您好，峰谷分时电价可在营业厅或网上国网申请。'),
      });
      assert.equal(edited.json().draft.status, 'draft');
      await editor.post(`/api/articles/${a.id}/submit`);
      now = new Date('2026-11-23T03:00:00.000Z');
      const approved = await reviewer.post(`/api/articles/${a.id}/approve`, { comment: '同意发布' });
      assert.equal(approved.statusCode, 200, approved.body);
      const published = approved.json();
      assert.deepEqual(
        [published.published.number, published.draft, published.publishedAt, published.revisionDueAt],
        [1, null, now.toISOString(), '2027-11-23T03:00:00.000Z'],
      );
      const read = (await agent.get(`/api/articles/${a.id}`)).json();
      assert.match(read.published.sections.rule, /申请次月生效/);
      assert.equal(read.draft, null, 'agents do not see drafts');
      assert.deepEqual(
        (await search('峰谷分时电价')).items.map((i) => i.id),
        [a.id],
        'findable at once',
      );

      // One person with both roles still does not approve their own version.
      const admin = await t.login('admin');
      const both = await admin.post('/api/users', {
        username: 'kb.both',
        name: '兼任',
        password: 'suqiu-demo-both',
        roles: ['kb_editor', 'kb_reviewer'],
        unitId: await unitId(t.database, 'YL-95598'),
      });
      assert.equal(both.statusCode, 201, both.body);
      const self = await t.login('kb.both', 'suqiu-demo-both');
      const own = (await self.post('/api/articles', { title: '自审测试', category: 'supply_service', sections: sections('测试规则') })).json();
      await self.post(`/api/articles/${own.id}/submit`);
      const refused = await self.post(`/api/articles/${own.id}/approve`, {});
      assert.equal(refused.statusCode, 403);
      assert.match(refused.json().message, /own version/);
    });

    test('a revision is reviewed while the published version stays live; versions are kept and compared section by section', async () => {
      const id = await publish({
        title: '阶梯电价计算',
        category: 'supply_service',
        tags: ['电费电价'],
        sections: sections('阶梯电价按年度累计用电量分档计价。', '您好，阶梯电价分三档。'),
      });
      assert.equal((await reviewer.post(`/api/articles/${id}/revise`)).statusCode, 403);
      const revising = await editor.post(`/api/articles/${id}/revise`);
      assert.deepEqual([revising.json().draft.number, revising.json().draft.status, revising.json().published.number], [2, 'draft', 1]);
      assert.equal((await editor.post(`/api/articles/${id}/revise`)).statusCode, 409, 'one revision at a time');
      await editor.put(`/api/articles/${id}`, {
        title: '阶梯电价计算',
        category: 'supply_service',
        tags: ['电费电价'],
        sections: sections('阶梯电价按年度累计用电量分档计价，一户多人口可申请增加基数。', '您好，阶梯电价分三档。'),
      });
      await editor.post(`/api/articles/${id}/submit`);
      // Still the first version for agents, and for search.
      assert.doesNotMatch((await agent.get(`/api/articles/${id}`)).json().published.sections.rule, /一户多人口/);
      assert.equal((await search('一户多人口')).total, 0);
      await reviewer.post(`/api/articles/${id}/approve`, {});
      assert.match((await agent.get(`/api/articles/${id}`)).json().published.sections.rule, /一户多人口/);
      assert.deepEqual(
        (await search('一户多人口')).items.map((i) => i.id),
        [id],
      );

      const versions = (await editor.get(`/api/articles/${id}/versions`)).json();
      assert.deepEqual(
        versions.map((v: any) => [v.number, v.status]),
        [
          [1, 'approved'],
          [2, 'approved'],
        ],
      );
      const diff = (await agent.get(`/api/articles/${id}/diff?from=1&to=2`)).json();
      assert.deepEqual(
        diff.sections.filter((s: any) => s.changed).map((s: any) => s.section),
        ['rule'],
      );
      assert.equal(
        diff.sections
          .find((s: any) => s.section === 'rule')
          .pieces.filter((p: any) => p.op === 'added')
          .map((p: any) => p.text)
          .join(''),
        '，一户多人口可申请增加基数',
      );
      assert.equal((await agent.get(`/api/articles/${id}/diff?from=1&to=9`)).statusCode, 404);
    });

    test('the revision clock: a year after publication the article is listed as overdue, a month before as due soon', async () => {
      const id = await publish({
        title: '电能表校验',
        category: 'supply_service',
        tags: ['计量'],
        sections: sections('客户对电能表准确性有异议的，可申请校验。'),
      });
      now = new Date('2027-11-01T03:00:00.000Z');
      editor = await t.login('kb_editor');
      const soon = (await editor.get('/api/articles?revision=due_soon')).json();
      assert.ok(soon.some((a: any) => a.id === id && a.revision === 'due_soon'));
      assert.ok(!(await editor.get('/api/articles?revision=overdue')).json().some((a: any) => a.id === id));
      // The knowledge group hears of it a month before, once.
      const warned = await runSchedulerPass(t.database.db, now);
      assert.ok(warned.revisionNotices >= 1);
      assert.equal((await runSchedulerPass(t.database.db, now)).revisionNotices, 0, 'once');
      assert.ok((await editor.get('/api/notifications')).json().some((n: any) => n.kind === 'article_revision_due' && n.title.includes('电能表校验')));
      now = new Date('2027-11-24T03:00:00.000Z');
      editor = await t.login('kb_editor');
      const overdue = (await editor.get('/api/articles?revision=overdue')).json();
      assert.ok(overdue.some((a: any) => a.id === id && a.revision === 'overdue'));
      assert.ok((await runSchedulerPass(t.database.db, now)).revisionNotices >= 1, 'and again when it is overdue');
      assert.equal((await runSchedulerPass(t.database.db, now)).revisionNotices, 0);
      assert.ok(
        (await (await t.login('kb_reviewer')).get('/api/notifications'))
          .json()
          .some((n: any) => n.kind === 'article_revision_overdue' && n.title.includes('电能表校验')),
      );
      now = new Date('2026-11-23T04:00:00.000Z');
      editor = await t.login('kb_editor');
      agent = await t.login('agent');
      reviewer = await t.login('kb_reviewer');
    });

    test('search by words: each query word finds exactly the articles that contain it; title above body; filters; marked snippets', async () => {
      const texts = [
        { title: '计划停电通知', rule: '计划停电应提前七天通知客户，并在网上国网公告。', script: '您好，您所在台区因检修计划停电。', tags: ['停电'] },
        {
          title: '电压质量投诉处理',
          rule: '客户反映低电压或电压波动的，由供电所现场测量电压质量。',
          script: '您好，我们将安排人员测量电压。',
          tags: ['电压质量'],
        },
        {
          title: '业扩报装办理流程',
          rule: '居民新装可在营业厅或网上国网提交用电申请，供电方案三个工作日内答复。',
          script: '您好，业扩报装需要身份证和房产证明。',
          tags: ['业扩报装'],
        },
        {
          title: '欠费停电与复电',
          rule: '客户欠费经催缴仍未缴费的，依规定程序停电；缴清电费后二十四小时内复电。',
          script: '您好，缴费后我们会尽快为您复电。',
          tags: ['电费电价'],
        },
        {
          title: '产权分界与有偿服务',
          rule: '产权分界点以下客户侧设备的故障，供电企业可提供有偿服务。',
          script: '您好，表后线属于客户侧资产。',
          tags: ['有偿服务与产权分界'],
        },
        { title: '分布式光伏并网', rule: '分布式光伏并网申请受理后，供电企业免费提供接入方案。', script: '您好，光伏并网需提交并网申请。', tags: ['业扩报装'] },
        { title: '充电桩报装', rule: '居民自用充电桩按居民电价执行，报装流程同低压新装。', script: '您好，充电桩报装请携带车位证明。', tags: ['业扩报装'] },
        {
          title: '电费缴纳方式',
          rule: '客户可通过营业厅、网上国网、银行代扣等方式缴费，预付费客户请及时充值。',
          script: '您好，缴费方式有多种。',
          tags: ['缴费方式'],
        },
        { title: '故障报修时限', rule: '城区抢修人员四十五分钟内到达现场，农村九十分钟。', script: '您好，抢修人员正在赶往现场。', tags: ['停电'] },
        { title: '变压器增容', rule: '增容需提交用电申请，涉及变压器更换的由客户承担费用。', script: '您好，增容业务可在营业厅办理。', tags: ['业扩报装'] },
      ];
      const ids: number[] = [];
      for (const x of texts) ids.push(await publish({ title: x.title, category: 'supply_service', tags: x.tags, sections: sections(x.rule, x.script) }));
      const contains = (word: string) => texts.flatMap((x, i) => ([x.title, x.rule, x.script, ...x.tags].join(' ').includes(word) ? [ids[i]!] : []));
      const words = [
        '停电',
        '计划停电',
        '电压质量',
        '低电压',
        '电压',
        '业扩报装',
        '营业厅',
        '网上国网',
        '用电申请',
        '供电方案',
        '欠费',
        '缴费',
        '电费',
        '复电',
        '产权分界',
        '有偿服务',
        '客户侧',
        '表后线',
        '光伏',
        '分布式光伏',
        '充电桩',
        '居民电价',
        '预付费',
        '抢修',
        '到达现场',
        '变压器',
        '增容',
        '台区',
        '测量',
        '身份证',
      ];
      assert.equal(words.length, 30);
      for (const word of words) {
        const expected = contains(word).sort((a, b) => a - b);
        assert.ok(expected.length > 0, `${word} is in some article`);
        const found = (await search(word, '&limit=50')).items
          .map((i) => i.id)
          .filter((id) => ids.includes(id))
          .sort((a, b) => a - b);
        assert.deepEqual(found, expected, `search for ${word}`);
      }

      // The title weighs more than the body: 增容 is in one title and in nothing else; 变压器 is in a title and in a rule.
      const ranked = await search('变压器');
      assert.equal(ranked.items[0]!.id, ids[9], 'title match first');
      const stop = await search('停电');
      assert.equal(stop.items[0]!.title.includes('停电'), true, 'an article with 停电 in its title comes first');
      assert.match(stop.items.find((i) => i.id === ids[0])!.snippet, /<em>停电<\/em>/);

      assert.deepEqual(
        (await search('停电', '&tag=' + encodeURIComponent('电费电价'))).items.map((i) => i.id),
        [ids[3]],
      );
      assert.equal((await search('停电', '&category=outage_voltage')).total, 0);
      const empty = await agent.get('/api/articles/search?q=');
      assert.equal(empty.statusCode, 400);
      assert.match(empty.json().message, /q/);
    });

    test('the agent’s side panel: articles for what the caller says; the ones used are linked to the demand and counted', async () => {
      const outage = await publish({
        title: '停电抢修指引',
        category: 'outage_voltage',
        tags: ['停电'],
        sections: sections('客户报修停电的，城区抢修人员四十五分钟内到达现场。', '您好，抢修人员正在赶往现场。'),
      });
      const bill = await publish({
        title: '电费账单解读',
        category: 'supply_service',
        tags: ['电费电价'],
        sections: sections('电费账单包括电量电费和基本电费。'),
      });
      const suggested = (
        await agent.get(`/api/articles/suggest?text=${encodeURIComponent('客户家里突然停电了，问什么时候来抢修')}&category=outage_voltage`)
      ).json();
      assert.equal(suggested.items[0].id, outage, 'the article with both of the call’s words first');
      assert.ok(!suggested.items.some((i: any) => i.id === bill));
      assert.match(suggested.items[0].snippet, /<em>/);

      const customer = await t.database.db.selectFrom('customers').select(['account_no', 'phone']).orderBy('id').executeTakeFirstOrThrow();
      const registered = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'consultation',
        category: 'outage_voltage',
        customer: { accountNo: customer.account_no, phone: customer.phone },
        content: '咨询停电抢修时间',
        articleIds: [outage],
      });
      assert.equal(registered.statusCode, 201, registered.body);
      const d = registered.json();
      const answered = await agent.post(`/api/demands/${d.id}/answer`, { answer: '已告知抢修到达时限', articleIds: [outage, bill] });
      assert.equal(answered.statusCode, 200, answered.body);
      assert.equal((await agent.get(`/api/articles/${outage}`)).json().useCount, 1, 'linked once, counted once');
      assert.equal((await agent.get(`/api/articles/${bill}`)).json().useCount, 1);
      assert.deepEqual(
        (await agent.get(`/api/articles/${outage}/uses`)).json().map((u: any) => u.number),
        [d.number],
      );
      const draft = (await editor.post('/api/articles', { title: '草稿', category: 'supply_service', sections: sections('规则') })).json();
      const bad = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'consultation',
        category: 'outage_voltage',
        customer: { phone: '13800009999' },
        content: '咨询',
        articleIds: [draft.id],
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /articleIds/);
    });

    test('all six sections, or no review: a draft is saved with sections empty, but it is submitted and published only when all six are filled, and the refusal names the empty ones', async () => {
      const title = '新装用电须知';
      const body = (extra: Record<string, unknown>) => ({
        title,
        category: 'supply_service',
        sections: { rule: '居民新装需提供户主的有效证件。', script: '您好，新装请携带有效证件到营业网点办理。', ...extra },
      });
      const created = await editor.post('/api/articles', body({}));
      assert.equal(created.statusCode, 201, `a draft may be incomplete: ${created.body}`);
      const id = created.json().id as number;
      const refused = await editor.post(`/api/articles/${id}/submit`);
      assert.equal(refused.statusCode, 409);
      assert.equal(
        refused.json().message,
        'an article is submitted for review only with all six sections filled; empty: 坐席提醒 (reminders), 相关文件 (documents), 实际案例 (cases), 常见问题 (faq)',
      );
      assert.deepEqual(
        refusedSections(Object.assign(new Error(refused.json().message), { status: 409 })),
        ['reminders', 'documents', 'cases', 'faq'],
        'the web reads the sections out of the refusal',
      );
      assert.equal((await editor.get(`/api/articles/${id}`)).json().draft.status, 'draft', 'still a draft');
      assert.equal(
        (
          await t.database.db
            .selectFrom('audit_log')
            .select('id')
            .where('entity_type', '=', 'article')
            .where('action', '=', 'article.submitted')
            .where('entity_id', '=', String(id))
            .execute()
        ).length,
        0,
        'nothing audited',
      );

      // Filled in part: the refusal names only what is still empty; text of spaces is empty.
      await editor.put(`/api/articles/${id}`, body({ reminders: '核实证件是否齐全。', documents: '《居民用电业务办理须知》', cases: '   ' }));
      const still = await editor.post(`/api/articles/${id}/submit`);
      assert.equal(still.statusCode, 409);
      assert.match(still.json().message, /empty: 实际案例 \(cases\), 常见问题 \(faq\)$/);
      await editor.put(
        `/api/articles/${id}`,
        body({
          reminders: '核实证件是否齐全。',
          documents: '《居民用电业务办理须知》',
          cases: '客户来电咨询新装所需材料。',
          faq: [{ q: '几天能装好？', a: '资料齐全后三个工作日内。' }],
        }),
      );
      assert.equal((await editor.post(`/api/articles/${id}/submit`)).statusCode, 200, 'all six: submitted');

      // A version submitted before the rule, with sections empty, is not published: the reviewer hears which, and may send it back.
      const version = (await editor.get(`/api/articles/${id}`)).json().draft.id as number;
      await t.database.db
        .updateTable('article_versions')
        .set({ sections_json: JSON.stringify({ rule: '居民新装需提供户主的有效证件。', script: '您好。', reminders: '', documents: '', cases: '', faq: [] }) })
        .where('id', '=', version)
        .execute();
      const unpublished = await reviewer.post(`/api/articles/${id}/approve`, {});
      assert.equal(unpublished.statusCode, 409);
      assert.equal(
        unpublished.json().message,
        'an article is published only with all six sections filled; empty: 坐席提醒 (reminders), 相关文件 (documents), 实际案例 (cases), 常见问题 (faq)',
      );
      assert.equal((await agent.get(`/api/articles/${id}`)).statusCode, 404, 'not published');
      assert.ok(!(await search('新装用电须知')).items.some((i) => i.id === id), 'nor found');
      assert.equal((await reviewer.post(`/api/articles/${id}/reject`, { comment: '请补全六个部分' })).statusCode, 200);
    });

    test('who may do what: editors write, reviewers review, staff read published articles, an admin none', async () => {
      const body = { title: '测试', category: 'supply_service', sections: sections('规则') };
      assert.equal((await agent.post('/api/articles', body)).statusCode, 403);
      assert.equal((await reviewer.post('/api/articles', body)).statusCode, 403);
      assert.equal((await (await t.login('admin')).get('/api/articles/search?q=停电')).statusCode, 403);
      assert.equal((await (await t.login('handler')).get('/api/articles/search?q=停电')).statusCode, 200);
      assert.equal((await agent.get('/api/articles?review=submitted')).statusCode, 403);
      const bad = await editor.post('/api/articles', { ...body, sections: { ...body.sections, rule: '' } });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /sections\.rule/);
      const audit = await t.database.db.selectFrom('audit_log').select(['action']).where('entity_type', '=', 'article').execute();
      for (const action of ['article.created', 'article.submitted', 'article.rejected', 'article.edited', 'article.approved', 'article.revision_started'])
        assert.ok(
          audit.some((a) => a.action === action),
          action,
        );
    });
  });
}
