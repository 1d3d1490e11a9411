import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ROLES } from '../src/shared/codes.js';
import { seedConsultations } from '../src/server/modules/demo/consultations.js';
import { seedDemands } from '../src/server/modules/demo/demands.js';
import { seedManagementLoop } from '../src/server/modules/demo/management.js';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, userId, type TestApp } from './helpers/app.js';
import { checked, Conformance, type Checked, type OpenApiDocument } from './helpers/openapi.js';

// The OpenAPI document against the server it describes (issue 13): the
// document passes a strict validator, and real answers match it. Every GET is
// walked as every role, with ids from the demo history the app is seeded with;
// the writes a client makes in a day (register, dispatch, the expert seat, the
// knowledge base, settings, the management loop) are made once each. Every
// answer, error answers included, is checked against the operation's schema
// for its status (helpers/openapi.ts).

const now = new Date('2026-11-23T09:27:00+08:00');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const STRONG = 'Harbour-Lantern-Quince-73';

/** Each GET's query strings: the ones it needs, and a few that reach more of its answer's shape. */
const QUERIES: Record<string, (ctx: { phone: string; accountNo: string }) => string[]> = {
  '/api/customers/lookup': (c) => [`phone=${encodeURIComponent(c.phone)}`, `accountNo=${c.accountNo}`, `q=${encodeURIComponent('张')}`],
  '/api/network/places': () => [`q=${encodeURIComponent('城')}`],
  '/api/demands': (c) => [
    '',
    'status=closed&pageSize=100',
    'status=open&overdue=true',
    `q=${encodeURIComponent('停电')}`,
    `phone=${encodeURIComponent(c.phone)}`,
    'escalated=true',
    'repeated=true',
    'owner=me&open=true',
    'owner=me',
  ],
  '/api/demands/case-preview': (c) => [`phone=${encodeURIComponent(c.phone)}&accountNo=${c.accountNo}&category=outage_voltage`, 'phone=13800000000'],
  '/api/work-orders': () => ['', 'status=handled', 'status=returned'],
  '/api/consultations': () => ['', 'open=true', 'month=2026-10'],
  '/api/consultations/record': () => ['month=2026-11', 'month=2026-10'],
  '/api/consultations/record.xlsx': () => ['month=2026-11'],
  '/api/consultations/figures': () => ['month=2026-11', 'month=2026-10'],
  '/api/common-problems': () => ['', 'month=2026-10'],
  '/api/articles/search': () => [`q=${encodeURIComponent('电费')}`, `q=${encodeURIComponent('停电')}&audience=public`],
  '/api/articles/suggest': () => [`text=${encodeURIComponent('家里停电了，什么时候来电')}`],
  '/api/articles': () => ['', 'review=submitted', 'review=draft', 'revision=due_soon'],
  '/api/articles/{id}/diff': () => ['from=1&to=2'],
  '/api/calendar': () => ['year=2026'],
  '/api/evaluation': () => ['from=2026-07-01&to=2026-10-01', 'from=2026-11-01&to=2026-11-24'],
  '/api/evaluation/events': () => ['', 'from=2026-01-01&to=2026-12-31'],
  '/api/reports/hot-issues': () => ['from=2026-10-01&to=2026-11-01'],
  '/api/reports/demands': () => ['from=2026-11-01&to=2026-12-01&groupBy=unit,week', 'from=2026-10-01&to=2026-12-01&groupBy=category,type,channel,month'],
  '/api/reports/timeliness': () => ['from=2026-11-01&to=2026-12-01'],
  '/api/reports/rates': () => ['from=2026-11-01&to=2026-12-01&by=unit', 'from=2026-11-01&to=2026-12-01&by=channel'],
  '/api/reports/complaints': () => ['from=2026-11-01&to=2026-12-01'],
  '/api/reports/staff': () => ['month=2026-11'],
  '/api/satisfaction': () => ['', 'from=2025-01-01&to=2026-12-01'],
  '/api/satisfaction/what-if': () => ['outageVoltage=-10&supplyService=0'],
  '/api/dashboard/unit': () => [''],
  '/api/reports/hot-issues/demands': () => [`term=${encodeURIComponent('停电')}&from=2026-10-01&to=2026-11-01`],
  '/api/transfer-items': () => ['', 'status=open', 'status=answered'],
  '/api/action-items': () => ['', 'status=done', 'late=true'],
  '/api/suggestions': () => ['', 'pending=true'],
  '/api/audit': () => ['', 'limit=200'],
  '/api/users': () => ['', 'includeInactive=true', 'role=expert'],
  '/api/outages': () => ['', 'active=true', 'late=true', 'status=restored'],
  '/api/outages/affecting': (c) => [`phone=${encodeURIComponent(c.phone)}`, 'districtId=1', 'feederId=1'],
  '/api/outages/{id}/customers': () => ['', 'page=2&pageSize=10'],
  '/api/districts': () => ['', 'feederId=1'],
  '/api/applications': () => ['', 'late=true', 'status=open&stage=survey', 'status=completed'],
  '/api/applications/export': () => ['', 'late=true'],
  '/api/service-plans': () => ['', 'status=open', 'kind=dynamic', 'segment=key_accounts'],
  '/api/plan-actions': () => ['', 'status=open', 'mine=true', 'dueBefore=2026-12-31'],
  '/api/activities': () => ['', 'kind=visit', 'from=2026-11-01&to=2026-11-30'],
  '/api/key-accounts': () => ['', 'top=10', 'year=2026&top=5'],
  '/api/key-accounts/export': () => ['', 'top=10'],
};

/** The table each path's {id} comes from. */
const ID_TABLES: [RegExp, string][] = [
  [/^\/api\/articles\/files\//, 'article_files'],
  [/^\/api\/units\//, 'units'],
  [/^\/api\/users\//, 'users'],
  [/^\/api\/demands\/exports\//, 'demand_exports'],
  [/^\/api\/demands\//, 'demands'],
  [/^\/api\/consultations\//, 'consultations'],
  [/^\/api\/articles\//, 'articles'],
  [/^\/api\/evaluations\//, 'evaluations'],
  [/^\/api\/transfers\//, 'transfer_batches'],
  [/^\/api\/meetings\//, 'meetings'],
  [/^\/api\/outages\//, 'outages'],
  [/^\/api\/applications\//, 'applications'],
  [/^\/api\/service-plans\//, 'service_plans'],
  [/^\/api\/plan-actions\//, 'relation_actions'],
  [/^\/api\/activities\//, 'activities'],
  [/^\/api\/customers\//, 'customers'],
];

/** Streams never end, so they are read over HTTP (openapi-client.test.ts), not injected. */
const STREAMS = new Set(['getNotificationsStream']);

for (const target of testDatabases()) {
  describe(`the OpenAPI document against the server (${target.name})`, () => {
    let t: TestApp;
    let doc: OpenApiDocument;
    let conformance: Conformance;
    const as: Record<string, Checked> = {};
    const login = async (username: string, password?: string) => (as[username] ??= checked(await t.login(username, password), conformance));

    before(async () => {
      // The server's own account of an error goes to stderr: a 500 names only its request id.
      const errors = new Writable({
        write(line, _encoding, done) {
          if (String(line).includes('"err"')) process.stderr.write(String(line).slice(0, 3000));
          done();
        },
      });
      t = await startTestApp(target, { clock: () => now, customers: 300, knowledge: true, logStream: errors });
      const at = () => now.toISOString();
      // A denser history than the demo's two years, so that the last months have transfer items and consultations.
      await seedDemands(t.database, { demands: 1500, seed: 95598, now: at, spanDays: 150 });
      await seedConsultations(t.database, { seed: 95598, now: at, spanDays: 120 });
      await seedManagementLoop(t.database, { now: at });
      doc = (await t.anonymous().get('/api/openapi.json')).json();
      conformance = new Conformance(doc);
    });
    after(async () => {
      const { succeeded, missed, responses } = conformance.coverage();
      const writes = conformance.operations.filter((l) => l.method !== 'GET');
      console.log(
        `[openapi ${target.name}] ${conformance.checks} answers checked: ${succeeded.length} of ${conformance.operations.length} operations answered 2xx, ${responses} (operation, status) pairs; ` +
          `If-Match checked against ${conformance.ifMatchChecked.size} of ${writes.length} changes\n  not made to succeed: ${missed.map((l) => `${l.method} ${l.path}`).join(', ') || 'none'}` +
          `\n  If-Match not checked: ${
            writes
              .filter((l) => !conformance.ifMatchChecked.has(l.operation.operationId))
              .map((l) => `${l.method} ${l.path}`)
              .join(', ') || 'none'
          }`,
      );
      await t.close();
    });

    test('the document passes a strict validator, and names what clients need', async () => {
      await SwaggerParser.validate(structuredClone(doc) as never);
      assert.equal(doc.openapi, '3.1.0');
      const ids = conformance.operations.map((l) => l.operation.operationId);
      assert.ok(
        ids.every((id) => /^[a-z]+[A-Z][A-Za-z0-9]*$/.test(id)),
        'operationIds are method + path words',
      );
      assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
      const byId = new Map(conformance.operations.map((l) => [l.operation.operationId, l]));
      assert.equal(byId.get('postDemandsIdUrge')?.path, '/api/demands/{id}/urge');
      assert.equal(byId.get('getDemands')?.path, '/api/demands');
      assert.ok(Object.keys(doc.components.schemas).length > 50, 'the shared schemas are components');

      for (const { method, path, operation } of conformance.operations) {
        const where = `${method} ${path}`;
        const statuses = Object.keys(operation.responses);
        assert.ok(
          statuses.some((s) => s.startsWith('2')),
          `${where} documents a success`,
        );
        // Health checks have nothing to refuse; everything under /api does.
        if (path.startsWith('/api/'))
          assert.ok(
            statuses.some((s) => s.startsWith('4')),
            `${where} documents its 4xx answers`,
          );
        for (const [status, response] of Object.entries(operation.responses))
          assert.ok(response.content && Object.keys(response.content).length > 0, `${where} ${status} has a content type`);
        const isPublic = !path.startsWith('/api/') || path === '/api/auth/login';
        if (isPublic) assert.deepEqual(operation.security, [], `${where} is public`);
        const headers = (operation.parameters ?? []).map((p) => String(p.$ref ?? p.name));
        if (method !== 'GET' && !isPublic) {
          assert.deepEqual(operation.security, [{ session: [], csrf: [] }, { bearer: [] }], `${where}: a session's change needs the CSRF header`);
          assert.ok(headers.includes('#/components/parameters/CsrfToken'), `${where} takes x-csrf-token`);
        }
      }
      assert.equal(doc.components.securitySchemes.csrf?.name, 'x-csrf-token');
      const uploads = ['/api/articles/files', '/api/articles/import/spreadsheet'].map((p) => doc.paths[p]!.post!);
      for (const upload of uploads) assert.ok(upload.requestBody?.content['application/octet-stream'], 'uploads take the file as the body');
      assert.ok(doc.paths['/api/notifications/stream']!.get!.responses['200']!.content!['text/event-stream']);
      assert.ok(doc.paths['/api/transfers/{id}/export']!.get!.responses['200']!.content!['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);

      // The session scheme names the cookie a login really sets.
      const res = await t.anonymous().post('/api/auth/login', { username: 'agent', password: 'suqiu-demo' });
      const cookies = (res.cookies as { name: string }[]).map((c) => c.name);
      assert.ok(cookies.includes(String(doc.components.securitySchemes.session?.name)));
      assert.ok(cookies.includes('csrf_token'));

      // The page of the document still loads.
      const page = await t.anonymous().get('/api/docs/');
      expect(page, 200);
      assert.match(String(page.headers['content-type']), /text\/html/);
    });

    test('the writes of a working day answer as documented', async () => {
      const db = t.database.db;
      const u = {
        centre: await unitId(t.database, 'YL-95598'),
        scb: await unitId(t.database, 'YL-SCB'),
        yxb: await unitId(t.database, 'YL-YXB'),
        ql: await unitId(t.database, 'YL-QL'),
        cg: await unitId(t.database, 'YL-QL-CG'),
      };
      const otherStation = (
        await db.selectFrom('units').select('id').where('kind', '=', 'station').where('id', '!=', u.cg).orderBy('id').executeTakeFirstOrThrow()
      ).id;
      let phones = 0;
      const phone = () => `0871-66${String(++phones).padStart(5, '0')}`;
      const agent = await login('agent');
      const lead = await login('team_lead');
      const handler = await login('handler');
      const complaint = (over: Record<string, unknown> = {}) => ({
        channel: 'phone',
        type: 'complaint',
        category: 'supply_service',
        subcategory: 'service_complaint',
        customer: { phone: phone() },
        content: '营业厅工作人员态度差',
        ...over,
      });

      // Sessions: a checked login, a wrong password, a change without the CSRF header.
      const anonymous = checked(t.anonymous(), conformance);
      expect(await anonymous.post('/api/auth/login', { username: 'agent', password: 'not-the-password' }), 401);
      expect(await anonymous.post('/api/auth/login', { username: 'agent', password: 'suqiu-demo' }), 200);
      expect(await agent.post('/api/demands', complaint(), { 'x-csrf-token': 'wrong' }), 403);

      // Register with an Idempotency-Key (and again: the same demand), answer with a stale and a current If-Match.
      const body = { channel: 'phone', type: 'consultation', category: 'supply_service', customer: { phone: phone() }, content: '咨询峰谷电价如何申请' };
      const first = await agent.post('/api/demands', body, { 'idempotency-key': 'oas-1' });
      expect(first, 201);
      const replay = await agent.post('/api/demands', body, { 'idempotency-key': 'oas-1' });
      assert.equal(replay.json().id, first.json().id);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      const question = first.json();
      expect(await agent.post(`/api/demands/${question.id}/answer`, { answer: '可在网上国网申请' }, { 'if-match': '"999"' }), 409);
      expect(await agent.post(`/api/demands/${question.id}/answer`, { answer: '可在网上国网申请' }, { 'if-match': String(first.headers.etag) }), 200);

      // A repair sent to the station: accepted, arrived (no body), handled, called back.
      const a = (
        await agent.post('/api/demands', {
          channel: 'phone',
          type: 'fault_repair',
          category: 'outage_voltage',
          customer: { phone: phone() },
          content: '家里停电了',
          faultAddress: '城关镇西街8号',
        })
      ).json();
      const order = (await agent.post(`/api/demands/${a.id}/work-orders`, { unitId: u.cg, instructions: '请立即派人抢修' })).json();
      expect(await handler.post(`/api/work-orders/${order.id}/accept`), 200);
      expect(await handler.post(`/api/work-orders/${order.id}/arrive`), 200);
      expect(await handler.post(`/api/work-orders/${order.id}/handle`, { findings: '更换熔断器，恢复供电', powerRestored: true }), 200);
      expect(await agent.post(`/api/demands/${a.id}/callbacks`, { outcome: 'satisfied', powerRestored: true }), 200);

      // Returned and judged unfounded; urged, escalated, reassigned; a second call joins the case and is unlinked.
      const b = (await agent.post('/api/demands', complaint())).json();
      const returned = (await agent.post(`/api/demands/${b.id}/work-orders`, { unitId: u.cg, instructions: '请处理' })).json();
      expect(await handler.post(`/api/work-orders/${returned.id}/return`, { reason: '非本所辖区' }), 200);
      expect(await lead.post(`/api/demands/${b.id}/verdict`, { verdict: 'unfounded', reason: '核实为客户误解' }), 200);
      const c = (await agent.post('/api/demands', complaint())).json();
      await agent.post(`/api/demands/${c.id}/work-orders`, { unitId: u.cg, instructions: '请处理' });
      expect(await lead.post(`/api/demands/${c.id}/urge`, { note: '请今天内回复' }), 200);
      expect(await lead.post(`/api/demands/${c.id}/escalate`, { reason: '客户情绪激动' }), 200);
      expect(await lead.post('/api/demands/urge', { ids: [c.id, b.id], note: '请尽快处理' }), 200);
      expect(await lead.post('/api/demands/reassign', { ids: [c.id], unitId: otherStation, note: '改派' }), 200);
      const caller = phone();
      const one = (await agent.post('/api/demands', complaint({ customer: { phone: caller } }))).json();
      const two = (
        await agent.post('/api/demands', { channel: 'phone', type: 'report', category: 'supply_safety', customer: { phone: caller }, content: '举报有人偷电' })
      ).json();
      assert.equal(two.caseId, one.id, 'the second call joins the case');
      expect(await agent.post(`/api/demands/${two.id}/unlink`, { reason: '举报与投诉无关' }), 200);
      // 首问负责制: the registering agent hands the case over to the team lead by name.
      expect(await agent.post(`/api/demands/${one.id}/hand-over`, { toUserId: await userId(t.database, 'team_lead'), reason: '下班交接' }), 200);

      // The expert seat: forwarded, acknowledged, contacted, replied, called back; another withdrawn.
      const expertId = await userId(t.database, 'expert');
      const expert = await login('expert');
      expect(await expert.put(`/api/experts/${expertId}`, { available: true }), 200);
      const ask = async () => {
        const d = (
          await agent.post('/api/demands', {
            channel: 'phone',
            type: 'consultation',
            category: 'outage_voltage',
            customer: { phone: phone() },
            content: '咨询线路保护区内能否建房',
          })
        ).json();
        const res = await agent.post(`/api/demands/${d.id}/consultations`, { unitId: u.scb, question: '保护区内建房的规定', expertId });
        expect(res, 201);
        return res.json();
      };
      const consultation = await ask();
      expect(await expert.post(`/api/consultations/${consultation.id}/acknowledge`), 200);
      expect(await expert.post(`/api/consultations/${consultation.id}/contacted`, {}), 200);
      expect(await expert.post(`/api/consultations/${consultation.id}/reply`, { answer: '保护区内不得新建房屋' }), 200);
      expect(await agent.post(`/api/consultations/${consultation.id}/callback`, { result: '已告知客户', closeDemand: true }), 200);
      expect(await agent.post(`/api/consultations/${(await ask()).id}/withdraw`, { reason: '客户已在营业厅办理' }), 200);
      const problem = await expert.post('/api/common-problems', {
        title: '保护区建房咨询集中',
        description: '本月多起咨询',
        consultationIds: [consultation.id],
      });
      expect(problem, 201);
      expect(await lead.patch(`/api/common-problems/${problem.json().id}`, { status: 'discussed', meetingNote: '纳入宣传' }), 200);
      expect(await expert.post('/api/expert-trainings', { heldOn: '2026-11-20', topic: '线路保护区政策', attendees: ['李晓雯'] }), 201);

      // The knowledge base: written with a file, reviewed, revised, rejected; imported; synonyms.
      const editor = await login('kb_editor');
      const reviewer = await login('kb_reviewer');
      const sections = {
        rule: '线路保护区内不得新建建筑物。',
        script: '您好，请问有什么可以帮您？',
        reminders: '核实地址。',
        documents: '《电力设施保护条例》',
        cases: '客户来电咨询建房。',
        faq: [{ q: '多远算保护区？', a: '按电压等级确定。' }],
      };
      const article = (await editor.post('/api/articles', { title: '线路保护区内建房', category: 'supply_safety', tags: ['线路保护区'], sections })).json();
      const file = await editor.upload(`/api/articles/files?name=${encodeURIComponent('电力设施保护条例.pdf')}`, PDF);
      expect(file, 201);
      expect(
        await editor.put(`/api/articles/${article.id}`, {
          title: '线路保护区内建房',
          category: 'supply_safety',
          sections: { ...sections, attachments: [file.json().id] },
        }),
        200,
      );
      expect(await editor.post(`/api/articles/${article.id}/submit`), 200);
      expect(await reviewer.post(`/api/articles/${article.id}/approve`, { comment: '同意发布' }), 200);
      expect(await editor.post(`/api/articles/${article.id}/revise`), 200);
      await editor.put(`/api/articles/${article.id}`, {
        title: '线路保护区内建房',
        category: 'supply_safety',
        sections: { ...sections, rule: '线路保护区内不得新建、扩建建筑物。' },
      });
      await editor.post(`/api/articles/${article.id}/submit`);
      expect(await reviewer.post(`/api/articles/${article.id}/reject`, { comment: '请补充保护区宽度' }), 200);
      const markdown = `---\ntitle: 电费发票的开具\ncategory: 供电服务\ntags: [电费电价]\naudience: public\n---\n\n## 业务规则描述\n\n电费发票可在网上国网开具。\n\n## 应答步骤及话术\n\n1. 核实户号。\n\n## 坐席提醒\n\n核实户号后再答复。\n\n## 相关文件\n\n- 《供电营业规则》\n\n## 实际案例\n\n客户来电询问发票。\n\n## 常见问题\n\n### 何时可开？\n\n缴费后即可。\n`;
      expect(await editor.post('/api/articles/import/markdown', { files: [{ name: '01-发票.md', text: markdown }] }), 200);
      const workbook = await editor.get('/api/articles/export');
      expect(workbook, 200);
      expect(await editor.upload(`/api/articles/import/spreadsheet?name=${encodeURIComponent('知识库.xlsx')}`, workbook.rawPayload), 200);
      const synonyms = (await editor.get('/api/knowledge/synonyms')).json();
      expect(await editor.put('/api/knowledge/synonyms', { items: synonyms.items }), 200);

      // Settings, the organisation and tokens (admin).
      const admin = await login('admin');
      expect(await admin.put('/api/calendar/2026-12-31', { working: false, name: '测试' }), 200);
      expect(await admin.delete('/api/calendar/2026-12-31'), 200);
      const policy = await admin.post('/api/time-policies', { step: 'answer', type: 'praise', amount: 5, unit: 'working_days' });
      expect(policy, 201);
      expect(await admin.put(`/api/time-policies/${policy.json().id}`, { step: 'answer', type: 'praise', amount: 4, unit: 'working_days' }), 200);
      expect(await admin.delete(`/api/time-policies/${policy.json().id}`), 200);
      expect(await admin.put('/api/category-routes/supply_service', { unitId: u.yxb }), 200);
      expect(
        await admin.put('/api/settings/escalation-ladder', {
          rungs: [
            { level: 1, calls: 3 },
            { level: 2, calls: 5 },
            { level: 3, calls: 7 },
          ],
        }),
        200,
      );
      expect(await admin.put('/api/consultation-limits/acknowledge', { minutes: 5 }), 200);
      expect(await admin.put('/api/settings/password-policy', (await admin.get('/api/settings/password-policy')).json()), 200);
      const unit = await admin.post('/api/units', { code: 'YL-QL-OAS', name: '接口测试供电所', kind: 'station', parentId: u.ql, areaClass: 'rural' });
      expect(unit, 201);
      expect(await admin.patch(`/api/units/${unit.json().id}`, { name: '接口测试供电所（新）' }), 200);
      const user = await admin.post('/api/users', { username: 'oas.agent', name: '接口测试', password: STRONG, roles: ['agent'], unitId: u.centre });
      expect(user, 201);
      expect(await admin.patch(`/api/users/${user.json().id}`, { name: '接口测试员' }), 200);
      expect(await admin.post(`/api/users/${user.json().id}/unlock`), 200);
      const token = await admin.post('/api/tokens', { userId: user.json().id, name: 'CTI 话务系统' });
      expect(token, 201);
      expect(await admin.post(`/api/tokens/${token.json().id}/revoke`), 200);
      const newcomer = await login('oas.agent', STRONG);
      expect(await newcomer.post('/api/me/password', { currentPassword: STRONG, newPassword: `${STRONG}-2` }), 200);
      expect(await newcomer.post('/api/auth/logout'), 200);

      // The management loop (analyst), and the departments' answers.
      const analyst = await login('analyst');
      expect(await analyst.post('/api/evaluation/events', { unitId: u.ql, kind: 'praise', occurredOn: '2026-09-15', description: '省公司表扬' }), 201);
      const draft = await analyst.post('/api/evaluations', { year: 2025, quarter: 4 });
      expect(draft, 201);
      expect(await analyst.post(`/api/evaluations/${draft.json().id}/publish`), 200);
      expect(await analyst.post('/api/evaluations', { year: 2026, quarter: 3, reason: '补录省公司9月表扬' }), 201);
      expect(await analyst.post('/api/transfers', { month: '2026-10' }), 200, 'the seed made October’s batch');
      expect(await analyst.post('/api/transfers', { month: '2026-07' }), 201);
      const item = await db
        .selectFrom('transfer_items')
        .innerJoin('users', 'users.unit_id', 'transfer_items.to_unit_id')
        .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
        .select(['transfer_items.id', 'users.username'])
        .where('transfer_items.status', '=', 'open')
        .where('user_roles.role', '=', 'handler')
        .orderBy('transfer_items.id')
        .executeTakeFirstOrThrow();
      const department = await login(item.username);
      expect(await department.post(`/api/transfer-items/${item.id}/answer`, { measures: '已列入改造计划', resolved: true, expectedBy: '2026-12-31' }), 200);
      const meeting = await analyst.post('/api/meetings', { title: '10月客户诉求会商会议', heldOn: '2026-11-20', from: '2026-10-01', to: '2026-11-01' });
      expect(meeting, 201);
      expect(await analyst.post(`/api/meetings/${meeting.json().id}/assemble`), 200);
      const action = await analyst.post(`/api/meetings/${meeting.json().id}/action-items`, {
        text: '城郊台区低电压专项治理',
        ownerUnitId: u.scb,
        dueOn: '2026-12-20',
      });
      expect(action, 201);
      expect(await (await login('handler.scb')).post(`/api/action-items/${action.json().id}/progress`, { note: '已完成现场勘查' }), 200);
      expect(await agent.post('/api/suggestions', { text: '建议在知识库中增加保护区宽度的说明', demandId: question.id }), 201);

      // Outages: announced (late, with its reason), moved, cancelled; a fault with a call, restored; suspicions declared and dismissed.
      const hour = 3_600_000;
      const iso = (ms: number) => new Date(now.getTime() + ms).toISOString();
      const feeders = (await lead.get('/api/feeders')).json() as { id: number; customers: number }[];
      const districtsOf = async (feederId: number) => (await lead.get(`/api/districts?feederId=${feederId}`)).json() as { id: number; customers: number }[];
      expect(await lead.get('/api/outage-rules'), 200);
      expect(await (await login('admin')).put('/api/outage-rules', (await lead.get('/api/outage-rules')).json()), 200);
      const planned = await lead.post('/api/outages', {
        kind: 'planned',
        feederIds: [feeders[0]!.id],
        startsAt: iso(72 * hour),
        expectedEndAt: iso(80 * hour),
        cause: '线路检修',
        lateNoticeReason: '设备缺陷需尽快处理',
      });
      expect(planned, 201);
      expect(await lead.post(`/api/outages/${planned.json().id}/update`, { expectedEndAt: iso(82 * hour), note: '工期延长两小时' }), 200);
      expect(await lead.post(`/api/outages/${planned.json().id}/cancel`, { reason: '计划调整' }), 200);
      expect(await lead.post(`/api/outages/${planned.json().id}/cancel`, { reason: '计划调整' }), 409);
      const withCustomers = feeders.filter((f) => f.customers > 0);
      const [faultDistrict] = (await districtsOf(withCustomers[1]!.id)).filter((d) => d.customers > 0);
      const fault = await lead.post('/api/outages', {
        kind: 'fault',
        districtIds: [faultDistrict!.id],
        startsAt: iso(-hour / 6),
        expectedEndAt: iso(2 * hour),
        cause: '变压器故障',
      });
      expect(fault, 201);
      // A caller not yet known, at the fault's place (a known customer's call may join the case they already have).
      const call = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'fault_repair',
        category: 'outage_voltage',
        customer: { phone: phone() },
        districtId: faultDistrict!.id,
        content: '停电了',
      });
      expect(call, 201);
      assert.equal(call.json().outageId, fault.json().id);
      expect(await lead.post(`/api/outages/${fault.json().id}/restore`, { note: '已恢复' }), 200);
      for (const [i, feeder] of withCustomers.slice(2, 4).entries()) {
        const [district] = await districtsOf(feeder.id);
        for (let n = 0; n < 3; n++)
          expect(
            await agent.post('/api/demands', {
              channel: 'phone',
              type: 'fault_repair',
              category: 'outage_voltage',
              customer: { phone: phone() },
              districtId: district!.id,
              content: '整片停电',
            }),
            201,
          );
        expect(await lead.get('/api/outages/suspected'), 200);
        const place = { place: 'district', placeId: district!.id };
        if (i === 0) expect(await lead.post('/api/outages/suspected/declare', { ...place, cause: '台区故障', expectedEndAt: iso(3 * hour) }), 201);
        else expect(await lead.post('/api/outages/suspected/dismiss', { ...place, reason: '客户内部故障' }), 200);
      }
      expect(await lead.post('/api/outages/suspected/dismiss', { place: 'district', placeId: 999999, reason: '无' }), 409);
      expect(await lead.post(`/api/demands/${c.id}/progress-messages`, { everyWorkingDays: 10 }), 200);
      const someone = await db.selectFrom('customers').select('id').orderBy('id').executeTakeFirstOrThrow();
      expect(await agent.put(`/api/customers/${someone.id}/messaging`, { channel: 'email', email: 'kh@example.cn', optOut: true }), 200);
      expect(await agent.put(`/api/customers/${someone.id}/messaging`, { channel: 'email', optOut: true }), 400);

      // Consumption and key accounts: a file with a bad row refused, naming it; a good one imported; contacts; an account manager.
      const accounts = await db.selectFrom('customers').select(['id', 'account_no']).orderBy('id').limit(20).execute();
      const csv = (bad: boolean) =>
        Buffer.from(`户号,月份,电量\n${accounts.map((a, i) => `${a.account_no},2026-10,${bad && i === 3 ? '-1' : 100 + i}`).join('\n')}\n`);
      const keyManager = await login('account_manager');
      expect(await keyManager.upload('/api/customers/consumption?name=bad.csv', csv(true)), 400);
      expect(await keyManager.upload('/api/customers/consumption?name=good.csv', csv(false)), 200);
      expect(await (await login('admin')).put('/api/key-accounts/settings', { top: 100 }), 200);
      expect(
        await keyManager.put(`/api/customers/${accounts[0]!.id}/contacts`, { contacts: [{ name: '张工', role: 'electrician', phone: '13800000001' }] }),
        200,
      );
      expect(await keyManager.put(`/api/customers/${accounts[0]!.id}/contacts`, { contacts: [{ name: '张工', role: 'boss', phone: '1' }] }), 400);
      const keyManagerId = await userId(t.database, 'account_manager');
      expect(await keyManager.put(`/api/customers/${accounts[0]!.id}/account-manager`, { userId: keyManagerId }), 200);
      expect(await keyManager.put(`/api/customers/${accounts[1]!.id}/account-manager`, { userId: await userId(t.database, 'agent') }), 400);
      expect(await keyManager.put(`/api/customers/2147483647/account-manager`, { userId: null }), 404);

      // The green channel: the stages as data; an application made, its first stage completed (a stale If-Match refused), another cancelled.
      const manager = await login('account_manager');
      const stages = await manager.get('/api/application-stages');
      expect(stages, 200);
      expect(await (await login('admin')).put('/api/application-stages', stages.json()), 200);
      const made = await manager.post('/api/applications', {
        customerId: someone.id,
        kind: 'new',
        capacityKva: 800,
        voltage: '10kV',
        supply: 'single',
        note: '新建厂房',
      });
      expect(made, 201);
      expect(await manager.post('/api/applications', { customerId: someone.id, kind: 'new', capacityKva: 80, voltage: '0.4kV', supply: 'double' }), 400);
      const stageUrl = `/api/applications/${made.json().id}/stages/accept/complete`;
      expect(await manager.post(stageUrl, { note: '资料齐全' }, { 'if-match': '"999"' }), 409);
      expect(await manager.post(stageUrl, { note: '资料齐全' }, { 'if-match': `"${made.json().version}"` }), 200);
      expect(await manager.post(`/api/applications/${made.json().id}/stages/scheme/complete`, { note: '未到' }), 409);
      const withdrawn = await manager.post('/api/applications', {
        customerId: someone.id,
        kind: 'increase',
        capacityKva: 2000,
        voltage: '35kV',
        supply: 'double',
      });
      expect(withdrawn, 201);
      expect(await manager.post(`/api/applications/${withdrawn.json().id}/cancel`, { reason: '客户撤回' }), 200);

      // Service plans and activities: the plan rules; a plan made, an action done, a proposed plan dismissed; a visit and a forum.
      const managerId = await userId(t.database, 'account_manager');
      expect(await manager.get('/api/plan-rules'), 200);
      expect(await (await login('admin')).put('/api/plan-rules', (await manager.get('/api/plan-rules')).json()), 200);
      expect(await (await login('analyst')).put('/api/hot-issues/stop-words', { words: ['客户', '反映', '要求'] }), 200);
      // An export of the list, done, for its progress and its file.
      const exporter = await login('agent');
      const started = await exporter.post('/api/demands/exports', { type: 'complaint' });
      expect(started, 202);
      for (let i = 0; i < 100 && (await exporter.get(`/api/demands/exports/${started.json().id}`)).json().status === 'running'; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const actions = [
        { text: '停电原因根因分析', dueOn: '2026-11-30', ownerUserId: managerId },
        { text: '上门走访客户', dueOn: '2026-12-05', ownerUserId: managerId },
      ];
      const servicePlan = await manager.post('/api/service-plans', { customerId: someone.id, kind: 'dynamic', title: '停电诉求根因分析与走访', actions });
      expect(servicePlan, 201);
      expect(await manager.post('/api/service-plans', { customerId: someone.id, segment: 'key_accounts', kind: 'standing', actions }), 400);
      expect(await manager.post(`/api/plan-actions/${servicePlan.json().actions[0].id}/progress`, { note: '已完成分析', done: true }), 200);
      expect(await manager.post('/api/service-plans', { segment: 'key_accounts', kind: 'standing', title: '核心客户季度走访', actions }), 201);
      expect(await manager.post(`/api/service-plans/${servicePlan.json().id}/dismiss`, { reason: '客户内部故障' }), 200);
      expect(await manager.post(`/api/service-plans/${servicePlan.json().id}/dismiss`, { reason: '再次' }), 409);
      const followUps = [{ text: '答复客户', dueOn: '2026-11-30', ownerUserId: managerId }];
      expect(
        await manager.post('/api/activities', {
          kind: 'visit',
          heldOn: '2026-11-22',
          topic: '走访',
          customerIds: [someone.id],
          outcome: '客户满意',
          place: '客户厂区',
          followUps,
        }),
        201,
      );
      expect(await manager.post('/api/activities', { kind: 'visit', heldOn: '2026-11-22', topic: '走访', customerIds: [], outcome: '无' }), 400);
      expect(
        await manager.post('/api/activities', {
          kind: 'forum',
          heldOn: '2026-11-20',
          topic: '座谈会',
          invitedGroups: ['deputies', 'supervisors'],
          outcome: '收集意见',
        }),
        201,
      );
    });

    test('every GET answers as documented, for every role', async () => {
      const db = t.database.db;
      const customer = await db.selectFrom('customers').select(['phone', 'account_no']).orderBy('id').executeTakeFirstOrThrow();
      const context = { phone: customer.phone, accountNo: customer.account_no };
      const clients = Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, await login(role)] as const)));
      const anonymous = checked(t.anonymous(), conformance);

      const idsOf = async (path: string): Promise<number[]> => {
        const table = ID_TABLES.find(([pattern]) => pattern.test(path))?.[1];
        assert.ok(table, `${path}: say which table its {id} comes from (ID_TABLES)`);
        const rows = (await db
          .selectFrom(table as 'units')
          .select('id')
          .orderBy('id')
          .execute()) as { id: number }[];
        const ids = rows.map((r) => r.id);
        if (table === 'demands') {
          // A call of every status and kind of case, so that each shape of the answer is met.
          const varied = await db
            .selectFrom('demands')
            .select((eb) => [eb.fn.max('id').as('id')])
            .groupBy(['status', 'type'])
            .execute();
          const joined = await db.selectFrom('demands').select('id').whereRef('case_id', '!=', 'id').orderBy('id', 'desc').limit(2).execute();
          return [...new Set([...varied.map((r) => Number(r.id)), ...joined.map((r) => r.id), ids.at(-1)!])];
        }
        if (table === 'articles') {
          // Those with several versions too (a diff compares two).
          const revised = await db
            .selectFrom('article_versions')
            .select('article_id')
            .groupBy('article_id')
            .having((eb) => eb.fn.countAll(), '>=', 2)
            .execute();
          ids.push(...revised.map((r) => r.article_id));
        }
        return [...new Set([ids[0]!, ids[Math.floor(ids.length / 2)]!, ...ids.slice(-3)])].filter((id) => id !== undefined);
      };

      const gets = conformance.operations.filter((l) => l.method === 'GET' && !STREAMS.has(l.operation.operationId));
      const unanswered: string[] = [];
      for (const located of gets) {
        const { path, operation } = located;
        const queries = QUERIES[path]?.(context) ?? [''];
        const ids = path.includes('{id}') ? await idsOf(path) : [undefined];
        let succeeded = false;
        for (const [i, id] of ids.entries()) {
          for (const query of queries) {
            const url = `${id === undefined ? path : path.replace('{id}', String(id))}${query ? `?${query}` : ''}`;
            // Every role on the first id; the other ids as the roles that may.
            const roles = i === 0 ? ROLES : ROLES.filter((r) => !operation['x-roles'] || operation['x-roles'].includes(r));
            for (const role of roles) {
              const res = await clients[role]!.get(url);
              if (res.statusCode < 300) succeeded = true;
              if (operation['x-roles'] && !operation['x-roles'].includes(role))
                assert.equal(res.statusCode, 403, `${url} as ${role}: the document does not list the role`);
            }
          }
        }
        if (!succeeded) unanswered.push(`${path}`);
        // The error answers: no session, an unknown id, a malformed id, an unknown query field.
        const sample = path.replace('{id}', String(ids[0] ?? 1));
        if (operation.security?.length !== 0) assert.equal((await anonymous.get(sample)).statusCode, 401, `${path} without a session`);
        if (path.includes('{id}')) {
          const allowed = clients[operation['x-roles']?.[0] ?? 'admin']!;
          assert.equal(
            (await allowed.get(path.replace('{id}', '2147483647') + (queries[0] ? `?${queries[0]}` : ''))).statusCode,
            404,
            `${path} with an unknown id`,
          );
          assert.equal((await allowed.get(path.replace('{id}', 'x'))).statusCode, 400, `${path} with a malformed id`);
        }
        if ((operation.parameters ?? []).some((p) => p.in === 'query')) {
          const allowed = clients[operation['x-roles']?.[0] ?? 'admin']!;
          await allowed.get(`${sample}?zzz=1`);
        }
      }
      assert.deepEqual(unanswered, [], 'every GET answers 2xx to a role that may call it');
    });
  });
}

/** The status, or the answer's body in the failure. */
function expect(res: { statusCode: number; body: string }, status: number, message = ''): void {
  assert.equal(res.statusCode, status, `${message} ${res.body.slice(0, 400)}`.trim());
}
