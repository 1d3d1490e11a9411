import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, userId, type Client, type TestApp } from './helpers/app.js';

// Bad input gets a 4xx that names what is wrong: never a 500, never a stack
// trace, and nothing already saved is lost. Thousands of generated bodies.

interface WriteEndpoint {
  method: 'POST' | 'PATCH' | 'PUT';
  url: string;
  /** A body the endpoint would accept; the generators break it. */
  valid: Record<string, unknown>;
}

/** Fields where null is a valid value ("none"), so null is no wrong type for them. */
const NULLABLE = new Set(['areaClass', 'phone', 'expiresAt', 'parentId', 'unavailableReason', 'meetingNote']);

type Mutation = { kind: 'drop' | 'retype' | 'unknown' | 'oversize' | 'badEnum'; field: string; body: Record<string, unknown> };

const wrongTypeValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double({ noNaN: true }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }),
);

function mutationOf(endpoint: WriteEndpoint, required: string[]): fc.Arbitrary<Mutation> {
  const fields = Object.keys(endpoint.valid);
  const stringFields = fields.filter((f) => typeof endpoint.valid[f] === 'string');
  const options: fc.Arbitrary<Mutation>[] = [
    fc
      .tuple(fc.constantFrom(...fields), wrongTypeValue)
      .filter(([field, value]) => !(value === null && NULLABLE.has(field)))
      .map(([field, value]) => {
        // A value of another type than the field's: strings get non-strings, numbers get strings or objects.
        const replaced = typeof endpoint.valid[field] === typeof value && !Array.isArray(value) && value !== null ? [value] : value;
        return { kind: 'retype' as const, field, body: { ...endpoint.valid, [field]: replaced } };
      }),
    fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !fields.includes(k) && k !== '__proto__'),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map(([field, value]) => ({ kind: 'unknown' as const, field, body: { ...endpoint.valid, [field]: value } })),
  ];
  if (required.length > 0) {
    options.push(
      fc.constantFrom(...required).map((field) => {
        const body = { ...endpoint.valid };
        delete body[field];
        return { kind: 'drop' as const, field, body };
      }),
    );
  }
  if (stringFields.length > 0) {
    options.push(
      fc
        .tuple(fc.constantFrom(...stringFields), fc.integer({ min: 4100, max: 9000 }))
        .map(([field, n]) => ({ kind: 'oversize' as const, field, body: { ...endpoint.valid, [field]: '电'.repeat(n) } })),
    );
  }
  return fc.oneof(...options);
}

function assertClean4xx(res: { statusCode: number; body: string; headers: Record<string, unknown> }, what: string) {
  assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${what}: expected a 4xx, got ${res.statusCode} ${res.body.slice(0, 200)}`);
  assert.match(String(res.headers['content-type']), /application\/json/, what);
  const body = JSON.parse(res.body) as { message?: unknown; statusCode?: unknown };
  assert.equal(typeof body.message, 'string', what);
  assert.ok((body.message as string).length > 0, what);
  assert.equal(body.statusCode, res.statusCode, what);
  assert.doesNotMatch(res.body, /\bat [\w.<>]+ \(|node_modules|\.ts:\d+|SQLITE_|syntax error at/i, `${what}: leaks internals`);
}

/** `runs` bodies of the endpoint, each broken in one field: every one a 400 naming that field. */
async function brokenBodiesNameTheirField(client: Client, endpoint: WriteEndpoint, required: string[], runs: number, seed: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(mutationOf(endpoint, required), async (mutation) => {
      const res = await client.request({ method: endpoint.method, url: endpoint.url, payload: mutation.body });
      assertClean4xx(res, `${endpoint.url} ${mutation.kind} ${mutation.field}`);
      assert.equal(res.statusCode, 400, `${endpoint.url} ${mutation.kind} ${mutation.field}: ${res.body}`);
      const paths = (res.json().issues ?? []).map((i: { path: string }) => i.path);
      assert.ok(
        paths.some((p: string) => p === `body.${mutation.field}` || p.startsWith(`body.${mutation.field}.`)),
        `${mutation.kind} ${mutation.field} not named in ${res.body}`,
      );
    }),
    { numRuns: runs, seed },
  );
}

for (const target of testDatabases()) {
  describe(`bad input (${target.name})`, () => {
    let t: TestApp;
    let admin: Client;
    let endpoints: { endpoint: WriteEndpoint; required: string[] }[];
    let demandEndpoints: { endpoint: WriteEndpoint; required: string[] }[];
    let agentFor: Client;
    let seatEndpoints: { endpoint: WriteEndpoint; required: string[]; as: string }[];
    let loopEndpoints: { endpoint: WriteEndpoint; required: string[]; as: string }[];
    let caseEndpoints: { endpoint: WriteEndpoint; required: string[]; as: string }[];
    let before_: { units: number; users: number; tokens: number; demands: number; tasks: number };

    const counts = async () => ({
      units: (await t.database.db.selectFrom('units').select('id').execute()).length,
      users: (await t.database.db.selectFrom('users').select('id').execute()).length,
      tokens: (await t.database.db.selectFrom('api_tokens').select('id').execute()).length,
      demands: (await t.database.db.selectFrom('demands').select('id').execute()).length,
      tasks: (await t.database.db.selectFrom('tasks').select('id').execute()).length,
    });

    before(async () => {
      t = await startTestApp(target);
      admin = await t.login('admin');
      const county = await unitId(t.database, 'YL-QL');
      const station = await unitId(t.database, 'YL-QL-CG');
      const agent = await userId(t.database, 'agent');
      endpoints = [
        { endpoint: { method: 'POST', url: '/api/auth/login', valid: { username: 'fuzz', password: 'fuzz-password' } }, required: ['username', 'password'] },
        {
          endpoint: {
            method: 'POST',
            url: '/api/units',
            valid: { code: 'YL-FUZZ', name: '模糊测试所', kind: 'station', parentId: county, areaClass: 'rural' },
          },
          required: ['code', 'name', 'kind', 'parentId'],
        },
        { endpoint: { method: 'PATCH', url: `/api/units/${station}`, valid: { name: '城关供电所', areaClass: 'urban' } }, required: [] },
        {
          endpoint: {
            method: 'PUT',
            url: '/api/settings/escalation-ladder',
            valid: {
              rungs: [
                { level: 1, calls: 3 },
                { level: 2, calls: 5 },
                { level: 3, calls: 7 },
              ],
            },
          },
          required: ['rungs'],
        },
        {
          endpoint: {
            method: 'POST',
            url: '/api/users',
            valid: { username: 'fuzz.user', name: '模糊', password: 'fuzz-password', roles: ['agent'], unitId: 2, phone: '13800000000' },
          },
          required: ['username', 'name', 'password', 'roles', 'unitId'],
        },
        { endpoint: { method: 'PATCH', url: `/api/users/${agent}`, valid: { name: '李晓雯', phone: '0874-3215001' } }, required: [] },
        { endpoint: { method: 'POST', url: '/api/tokens', valid: { userId: agent, name: '集成' } }, required: ['userId', 'name'] },
        {
          endpoint: { method: 'POST', url: '/api/me/password', valid: { currentPassword: 'suqiu-demo', newPassword: 'suqiu-demo' } },
          required: ['currentPassword', 'newPassword'],
        },
      ];
      // The demand endpoints, as the agent and the station's handler use them.
      const agentClient = await t.login('agent');
      const demand = (
        await agentClient.post('/api/demands', {
          channel: 'phone',
          type: 'complaint',
          category: 'supply_service',
          subcategory: 'service_complaint',
          customer: { phone: '13800001111' },
          content: '测试',
        })
      ).json();
      const order = (await agentClient.post(`/api/demands/${demand.id}/work-orders`, { unitId: station, instructions: '请处理' })).json();
      demandEndpoints = [
        {
          endpoint: {
            method: 'POST',
            url: '/api/demands',
            valid: {
              channel: 'phone',
              type: 'complaint',
              category: 'supply_service',
              subcategory: 'service_complaint',
              customer: { phone: '13800002222' },
              content: '营业厅服务态度差',
            },
          },
          required: ['channel', 'type', 'category', 'customer', 'content'],
        },
        {
          endpoint: { method: 'POST', url: `/api/demands/${demand.id}/work-orders`, valid: { unitId: station, instructions: '请核实' } },
          required: ['unitId', 'instructions'],
        },
        { endpoint: { method: 'POST', url: `/api/demands/${demand.id}/callbacks`, valid: { outcome: 'satisfied', note: '满意' } }, required: ['outcome'] },
        { endpoint: { method: 'POST', url: `/api/demands/${demand.id}/escalate`, valid: { reason: '客户要求' } }, required: ['reason'] },
        { endpoint: { method: 'POST', url: `/api/demands/${demand.id}/answer`, valid: { answer: '已答复' } }, required: ['answer'] },
        {
          endpoint: { method: 'POST', url: `/api/work-orders/${order.id}/handle`, valid: { findings: '已处理', powerRestored: true } },
          required: ['findings'],
        },
        { endpoint: { method: 'POST', url: `/api/work-orders/${order.id}/return`, valid: { reason: '非本单位' } }, required: ['reason'] },
      ];
      agentFor = agentClient;
      // The expert seat's, each as the role that uses it (a consultation answered up to its reply).
      const yxb = await unitId(t.database, 'YL-YXB');
      const expertId = await userId(t.database, 'expert');
      const scb = await unitId(t.database, 'YL-SCB');
      const asked = (await agentClient.post(`/api/demands/${demand.id}/consultations`, { unitId: scb, expertId, question: '能否加盖' })).json();
      seatEndpoints = [
        {
          endpoint: {
            method: 'POST',
            url: `/api/demands/${demand.id}/consultations`,
            valid: { unitId: yxb, question: '峰谷电价', topic: '电费电价', contactPhone: '13800003333' },
          },
          required: ['unitId', 'question'],
          as: 'agent',
        },
        {
          endpoint: {
            method: 'POST',
            url: `/api/consultations/${asked.id}/reply`,
            valid: { answer: '可以申请', callEndedAt: '2026-11-23T02:00:00.000Z', jointUnitIds: [yxb] },
          },
          required: ['answer'],
          as: 'expert',
        },
        {
          endpoint: { method: 'POST', url: `/api/consultations/${asked.id}/callback`, valid: { result: '已告知', closeDemand: false } },
          required: ['result', 'closeDemand'],
          as: 'agent',
        },
        {
          endpoint: {
            method: 'PUT',
            url: `/api/experts/${expertId}`,
            valid: { phone: '13908741001', topics: ['输电线路'], dutyFrom: '08:00', dutyTo: '18:00', available: true, unavailableReason: null },
          },
          required: [],
          as: 'expert',
        },
        { endpoint: { method: 'PUT', url: '/api/consultation-limits/acknowledge', valid: { minutes: 5 } }, required: ['minutes'], as: 'admin' },
        {
          endpoint: {
            method: 'POST',
            url: '/api/common-problems',
            valid: { title: '同类咨询', description: '本月集中', consultationIds: [asked.id], meetingMonth: '2026-11' },
          },
          required: ['title', 'description', 'consultationIds'],
          as: 'expert',
        },
        {
          endpoint: {
            method: 'POST',
            url: '/api/expert-trainings',
            valid: { heldOn: '2026-11-01', topic: '培训', attendees: ['李晓雯'], hours: 1, note: '无' },
          },
          required: ['heldOn', 'topic', 'attendees'],
          as: 'expert',
        },
      ];
      // The management loop's: first handling, verdicts, transfer, meetings, evaluation.
      const analyst = await t.login('analyst');
      const meeting = (await analyst.post('/api/meetings', { title: '会商会议', heldOn: '2026-11-10', from: '2026-10-01', to: '2026-11-01' })).json();
      const item = (await analyst.post(`/api/meetings/${meeting.id}/action-items`, { text: '整改', ownerUnitId: scb, dueOn: '2099-12-31' })).json();
      loopEndpoints = [
        {
          endpoint: {
            method: 'POST',
            url: `/api/work-orders/${order.id}/handle`,
            valid: { findings: '需电网投资', resolved: false, unresolvedReason: 'investment' },
          },
          required: ['findings'],
          as: 'handler',
        },
        {
          endpoint: { method: 'POST', url: `/api/demands/${demand.id}/verdict`, valid: { verdict: 'unfounded', reason: '核实为客户原因' } },
          required: ['verdict', 'reason'],
          as: 'team_lead',
        },
        { endpoint: { method: 'POST', url: '/api/transfers', valid: { month: '2026-10' } }, required: ['month'], as: 'analyst' },
        {
          endpoint: {
            method: 'POST',
            url: '/api/transfer-items/1/answer',
            valid: { measures: '纳入改造计划', resolved: false, expectedBy: '2099-06-30', owner: '张工' },
          },
          required: ['measures', 'resolved'],
          as: 'handler.scb',
        },
        {
          endpoint: {
            method: 'POST',
            url: '/api/meetings',
            valid: { title: '会商会议', heldOn: '2026-11-10', from: '2026-10-01', to: '2026-11-01T00:00:00+08:00' },
          },
          required: ['title', 'heldOn', 'from', 'to'],
          as: 'analyst',
        },
        {
          endpoint: {
            method: 'POST',
            url: `/api/meetings/${meeting.id}/action-items`,
            valid: { text: '专项治理', ownerUnitId: scb, ownerUserId: expertId, dueOn: '2099-12-31' },
          },
          required: ['text', 'ownerUnitId', 'dueOn'],
          as: 'analyst',
        },
        {
          endpoint: { method: 'POST', url: `/api/action-items/${item.id}/progress`, valid: { note: '已完成一半', done: false } },
          required: ['note'],
          as: 'handler.scb',
        },
        { endpoint: { method: 'POST', url: '/api/suggestions', valid: { text: '建议延长营业时间', demandId: demand.id } }, required: ['text'], as: 'agent' },
        {
          endpoint: {
            method: 'POST',
            url: '/api/evaluation/events',
            valid: { unitId: county, kind: 'praise', occurredOn: '2026-10-15', description: '上级表扬' },
          },
          required: ['unitId', 'kind', 'occurredOn', 'description'],
          as: 'analyst',
        },
        {
          endpoint: { method: 'POST', url: '/api/evaluations', valid: { year: 2026, quarter: 3, reason: '补录' } },
          required: ['year', 'quarter'],
          as: 'analyst',
        },
      ];
      // A case, not a call: unlinking, urging, reassigning, the actual arrival, a fault's place.
      const district = (await t.database.db.selectFrom('transformer_districts').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id;
      caseEndpoints = [
        { endpoint: { method: 'POST', url: `/api/demands/${demand.id}/unlink`, valid: { reason: '另一件事' } }, required: ['reason'], as: 'agent' },
        { endpoint: { method: 'POST', url: `/api/demands/${demand.id}/urge`, valid: { note: '请尽快处理' } }, required: ['note'], as: 'team_lead' },
        { endpoint: { method: 'POST', url: '/api/demands/urge', valid: { ids: [demand.id], note: '请尽快处理' } }, required: ['ids', 'note'], as: 'team_lead' },
        {
          endpoint: { method: 'POST', url: '/api/demands/reassign', valid: { ids: [demand.id], unitId: station, note: '改派城关所' } },
          required: ['ids', 'unitId', 'note'],
          as: 'team_lead',
        },
        {
          endpoint: { method: 'POST', url: `/api/work-orders/${order.id}/arrive`, valid: { arrivedAt: '2026-11-23T02:00:00.000Z' } },
          required: [],
          as: 'handler',
        },
        {
          endpoint: {
            method: 'POST',
            url: '/api/demands',
            valid: {
              channel: 'phone',
              type: 'fault_repair',
              category: 'outage_voltage',
              customer: { phone: '13800004444' },
              content: '停电',
              faultAddress: '城关镇人民路8号',
              districtId: district,
            },
          },
          required: ['channel', 'type', 'category', 'customer', 'content'],
          as: 'agent',
        },
      ];
      before_ = await counts();
    });
    after(() => t.close());

    test('a body broken in one field gets a 400 naming that field (150 per endpoint)', async () => {
      for (const { endpoint, required } of endpoints) {
        await fc.assert(
          fc.asyncProperty(mutationOf(endpoint, required), async (mutation) => {
            const res = await admin.request({ method: endpoint.method, url: endpoint.url, payload: mutation.body });
            assertClean4xx(res, `${endpoint.method} ${endpoint.url} ${mutation.kind} ${mutation.field}`);
            assert.equal(res.statusCode, 400, `${endpoint.method} ${endpoint.url} ${mutation.kind} ${mutation.field}: ${res.body}`);
            const paths = (res.json().issues ?? []).map((i: { path: string }) => i.path);
            assert.ok(
              paths.some((p: string) => p === `body.${mutation.field}` || p.startsWith(`body.${mutation.field}.`)),
              `${mutation.kind} ${mutation.field} not named in ${res.body}`,
            );
          }),
          { numRuns: 150, seed: 20261123 },
        );
      }
    });

    test('demand bodies broken in one field get a 400 naming that field (100 per endpoint)', async () => {
      for (const { endpoint, required } of demandEndpoints) {
        const client = endpoint.url.startsWith('/api/work-orders') ? await t.login('handler') : agentFor;
        await brokenBodiesNameTheirField(client, endpoint, required, 100, 4004);
      }
    });

    test('expert seat bodies broken in one field get a 400 naming that field (60 per endpoint)', async () => {
      for (const { endpoint, required, as } of seatEndpoints) await brokenBodiesNameTheirField(await t.login(as), endpoint, required, 60, 5555);
    });

    test('case bodies broken in one field get a 400 naming that field (60 per endpoint)', async () => {
      for (const { endpoint, required, as } of caseEndpoints) await brokenBodiesNameTheirField(await t.login(as), endpoint, required, 60, 1204);
    });

    test('management loop bodies broken in one field get a 400 naming that field (60 per endpoint)', async () => {
      for (const { endpoint, required, as } of loopEndpoints) await brokenBodiesNameTheirField(await t.login(as), endpoint, required, 60, 2026);
    });

    test('any JSON that is not the right object gets a 4xx (60 per endpoint)', async () => {
      const notAnObject = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
      );
      for (const { endpoint } of endpoints) {
        await fc.assert(
          fc.asyncProperty(notAnObject, async (value) => {
            const res = await admin.request({
              method: endpoint.method,
              url: endpoint.url,
              payload: JSON.stringify(value),
              headers: { 'content-type': 'application/json' },
            });
            assertClean4xx(res, `${endpoint.method} ${endpoint.url} with ${JSON.stringify(value).slice(0, 80)}`);
          }),
          { numRuns: 60, seed: 95598 },
        );
      }
    });

    test('text that is not JSON gets a 400 saying so (25 per endpoint)', async () => {
      for (const { endpoint } of endpoints) {
        await fc.assert(
          fc.asyncProperty(
            fc.string({ minLength: 1, maxLength: 200 }).filter((s) => {
              try {
                JSON.parse(s);
                return false;
              } catch {
                return true;
              }
            }),
            async (text) => {
              const res = await admin.request({ method: endpoint.method, url: endpoint.url, payload: text, headers: { 'content-type': 'application/json' } });
              assertClean4xx(res, `${endpoint.url} with text`);
              assert.equal(res.statusCode, 400);
            },
          ),
          { numRuns: 25, seed: 7 },
        );
      }
    });

    test('oversize bodies are 413, other content types 415, missing sessions 401', async () => {
      for (const { endpoint } of endpoints) {
        const big = await admin.request({
          method: endpoint.method,
          url: endpoint.url,
          payload: JSON.stringify({ name: 'x'.repeat(1_200_000) }),
          headers: { 'content-type': 'application/json' },
        });
        assertClean4xx(big, `${endpoint.url} oversize`);
        assert.equal(big.statusCode, 413);
        const xml = await admin.request({ method: endpoint.method, url: endpoint.url, payload: '<user/>', headers: { 'content-type': 'application/xml' } });
        assertClean4xx(xml, `${endpoint.url} xml`);
        assert.equal(xml.statusCode, 415);
        if (endpoint.url !== '/api/auth/login') {
          const anonymous = await t.anonymous().request({ method: endpoint.method, url: endpoint.url, payload: endpoint.valid });
          assertClean4xx(anonymous, `${endpoint.url} anonymous`);
          assert.equal(anonymous.statusCode, 401);
        }
      }
    });

    test('bad ids and query strings are 400 naming the parameter', async () => {
      for (const url of [
        '/api/users/abc',
        '/api/units/-1',
        '/api/users/1.5',
        '/api/users?unitId=x',
        '/api/users?role=king',
        '/api/users?colour=red',
        '/api/audit?limit=100000',
      ]) {
        const res = await admin.get(url);
        assertClean4xx(res, url);
        assert.equal(res.statusCode, 400, url);
        assert.match(res.json().message, /^(params|querystring)\./, url);
      }
      const missing = await admin.get('/api/users/999999');
      assertClean4xx(missing, 'unknown user');
      assert.equal(missing.statusCode, 404);
    });

    test('after all of it, nothing saved was lost or added, and everyone still signs in', async () => {
      assert.deepEqual(await counts(), before_);
      const station = await unitId(t.database, 'YL-QL-CG');
      assert.equal((await admin.get(`/api/units/${station}`)).json().name, '城关供电所');
      for (const username of ['admin', 'agent', 'handler']) await t.login(username);
    });
  });
}
