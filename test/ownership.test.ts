import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, userId, type Client, type TestApp } from './helpers/app.js';

// 首问负责制 (issue 17, point 7) through the public endpoints: the agent who
// registers a demand owns it and finds it under "my demands"; they hand it over
// by name with the reason (on the timeline, the audit trail, and told to the new
// owner); bad input is named; only the owner or a team lead hands over; a closed
// demand leaves "my demands" and is not handed over.

interface Listed {
  id: number;
  status: string;
  ownerId: number | null;
  deadlines: { dueAt: string; metAt: string | null }[];
}

for (const target of testDatabases()) {
  describe(`first-contact ownership (${target.name})`, () => {
    let t: TestApp;
    let agent: Client; // 李晓雯
    let colleague: Client; // agent.01
    let lead: Client;
    let editor: Client;
    const ids = { agent: 0, colleague: 0, lead: 0, editor: 0 };
    let customer: { account_no: string; phone: string };
    let another: { account_no: string; phone: string }; // a second caller: a call of the first one's would join its open case
    let demand: { id: number; number: string; version: number; createdAt: string };

    const register = async (client: Client, content = '咨询电费缴纳方式', caller = customer) => {
      const res = await client.post('/api/demands', {
        channel: 'phone',
        type: 'consultation',
        category: 'supply_service',
        customer: { accountNo: caller.account_no, phone: caller.phone },
        content,
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };
    const mine = async (client: Client, query = 'owner=me&open=true') => {
      const res = await client.get(`/api/demands?${query}&pageSize=200`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items as Listed[];
    };
    const handOver = (client: Client, id: number, body: object, version?: number) =>
      client.request({
        method: 'POST',
        url: `/api/demands/${id}/hand-over`,
        payload: body,
        ...(version !== undefined && { headers: { 'if-match': `"${version}"` } }),
      });

    before(async () => {
      t = await startTestApp(target, { customers: 80 });
      agent = await t.login('agent');
      colleague = await t.login('agent.01');
      lead = await t.login('team_lead');
      editor = await t.login('kb_editor');
      ids.agent = await userId(t.database, 'agent');
      ids.colleague = await userId(t.database, 'agent.01');
      ids.lead = await userId(t.database, 'team_lead');
      ids.editor = await userId(t.database, 'kb_editor');
      [customer, another] = (await t.database.db.selectFrom('customers').select(['account_no', 'phone']).orderBy('id').limit(2).execute()) as [
        typeof customer,
        typeof customer,
      ];
    });
    after(() => t.close());

    test('the agent who registers a demand owns it and finds it under my demands; another agent does not', async () => {
      const created = await register(agent);
      assert.equal(created.ownerId, ids.agent);
      assert.equal(created.ownerName, '李晓雯');
      assert.equal(created.ownerSince, created.createdAt);
      demand = created;

      const read = (await agent.get(`/api/demands/${created.id}`)).json();
      assert.equal(read.ownerId, ids.agent);
      assert.equal(read.ownerName, '李晓雯');
      assert.equal(read.ownerSince, created.createdAt);

      const listed = await mine(agent);
      const item = listed.find((d) => d.id === created.id);
      assert.ok(item, 'the new demand is under my demands');
      assert.ok(
        listed.every((d) => d.ownerId === ids.agent && d.status !== 'closed'),
        'my demands are the open ones the caller owns',
      );
      assert.ok(!(await mine(colleague)).some((d) => d.id === created.id), 'another agent does not see it as theirs');
      // The nearest live deadline first: what an agent works down.
      const nearest = (d: Listed) =>
        d.deadlines
          .filter((x) => x.metAt === null)
          .map((x) => x.dueAt)
          .sort()[0] ?? '9999';
      const order = listed.map(nearest);
      assert.deepEqual(order, [...order].sort(), 'ordered by the nearest live deadline');

      // A team lead reads an agent's demands by id; owner=me and ownerId are not given together.
      assert.ok((await mine(lead, `ownerId=${ids.agent}&open=true`)).some((d) => d.id === created.id));
      const both = await agent.get(`/api/demands?owner=me&ownerId=${ids.agent}`);
      assert.equal(both.statusCode, 400);
      assert.match(both.json().message, /ownerId/);
      assert.equal((await agent.get('/api/demands?owner=someone')).statusCode, 400);
    });

    test('bad input is named: an unknown user, a kb_editor, an empty reason, the owner themselves', async () => {
      const cases: { body: object; field: RegExp }[] = [
        { body: { toUserId: 999_999, reason: '下班交接' }, field: /toUserId/ },
        { body: { toUserId: ids.editor, reason: '下班交接' }, field: /toUserId/ },
        { body: { toUserId: ids.agent, reason: '下班交接' }, field: /toUserId/ },
        { body: { toUserId: ids.colleague, reason: '' }, field: /reason/ },
        { body: { toUserId: ids.colleague, reason: '   ' }, field: /reason/ },
        { body: { toUserId: ids.colleague }, field: /reason/ },
        { body: { reason: '下班交接' }, field: /toUserId/ },
      ];
      for (const { body, field } of cases) {
        const res = await handOver(agent, demand.id, body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
        assert.match(res.json().message, field, JSON.stringify(body));
      }
      assert.equal((await agent.get(`/api/demands/${demand.id}`)).json().ownerId, ids.agent, 'nothing changed');
    });

    test('another agent, not the owner nor a team lead, gets 403; a role without the action too', async () => {
      const res = await handOver(colleague, demand.id, { toUserId: ids.colleague, reason: '我来处理' });
      assert.equal(res.statusCode, 403, res.body);
      assert.equal((await handOver(editor, demand.id, { toUserId: ids.colleague, reason: '我来处理' })).statusCode, 403);
    });

    test('the owner hands it over by name: the reason on the timeline, the audit trail, the new owner told', async () => {
      const reason = '本人下班，客户约定明早回电';
      // A stale version is a conflict, as for the demands' other actions.
      const stale = await handOver(agent, demand.id, { toUserId: ids.colleague, reason }, demand.version - 1);
      assert.equal(stale.statusCode, 409, stale.body);

      const res = await handOver(agent, demand.id, { toUserId: ids.colleague, reason }, demand.version);
      assert.equal(res.statusCode, 200, res.body);
      const moved = res.json();
      assert.equal(moved.ownerId, ids.colleague);
      assert.ok(moved.ownerName && moved.ownerName !== '李晓雯');
      assert.equal(moved.version, demand.version + 1);
      assert.ok(moved.ownerSince > demand.createdAt || moved.ownerSince === moved.updatedAt);
      const entry = moved.timeline.at(-1);
      assert.equal(entry.kind, 'ownership.handed_over');
      assert.equal(entry.note, reason);
      assert.equal(entry.actorId, ids.agent);
      assert.equal(entry.at, moved.ownerSince);
      assert.deepEqual(entry.data, { fromUserId: ids.agent, fromName: '李晓雯', toUserId: ids.colleague, toName: moved.ownerName });

      assert.ok(!(await mine(agent)).some((d) => d.id === demand.id), 'it left the former owner’s list');
      const theirs = (await mine(colleague)).find((d) => d.id === demand.id);
      assert.ok(theirs, 'it is under the new owner’s demands');

      const told = (await colleague.get('/api/notifications')).json() as { kind: string; demandId: number | null; title: string }[];
      const note = told.find((n) => n.kind === 'handed_over' && n.demandId === demand.id);
      assert.ok(note, 'the new owner is told');
      assert.match(note.title, new RegExp(demand.number));
      assert.ok(!((await agent.get('/api/notifications')).json() as { kind: string }[]).some((n) => n.kind === 'handed_over'), 'nobody else is told');

      const audit = await t.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'demand.handed_over')
        .where('entity_id', '=', String(demand.id) as never)
        .execute();
      assert.equal(audit.length, 1);
      demand = moved;
    });

    test('a team lead hands over any demand of the centre, e.g. of an agent off shift', async () => {
      // The former owner no longer may.
      assert.equal((await handOver(agent, demand.id, { toUserId: ids.agent, reason: '拿回来' })).statusCode, 403);
      const res = await handOver(lead, demand.id, { toUserId: ids.agent, reason: '原负责人休假，交回首问人' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().ownerId, ids.agent);
      assert.equal(res.json().timeline.filter((e: { kind: string }) => e.kind === 'ownership.handed_over').length, 2);
      assert.ok((await mine(agent)).some((d) => d.id === demand.id));
      assert.ok(!(await mine(colleague)).some((d) => d.id === demand.id));
      demand = res.json();
    });

    test('a closed demand leaves my demands, shows with the closed ones, and is not handed over', async () => {
      const other = await register(agent, '咨询峰谷电价', another);
      const closed = await agent.post(`/api/demands/${demand.id}/answer`, { answer: '已告知缴费渠道' });
      assert.equal(closed.statusCode, 200, closed.body);
      assert.equal(closed.json().ownerId, ids.agent, 'the owner stays on a closed demand');

      const open = await mine(agent);
      assert.ok(!open.some((d) => d.id === demand.id), 'a closed demand is not among the open ones');
      assert.ok(open.some((d) => d.id === other.id));
      // The toggle: every status, newest first.
      const all = await mine(agent, 'owner=me');
      assert.ok(
        all.some((d) => d.id === demand.id && d.status === 'closed'),
        'the closed one shows with the closed ones',
      );
      assert.ok(all.some((d) => d.id === other.id));
      assert.deepEqual(
        (await mine(agent, 'owner=me&open=false')).map((d) => d.id),
        [demand.id],
      );

      const res = await handOver(agent, demand.id, { toUserId: ids.colleague, reason: '交接' });
      assert.equal(res.statusCode, 409, res.body);
      assert.match(res.json().message, /closed/);
    });
  });
}
