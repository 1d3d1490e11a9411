import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../../../../test/helpers/databases.js';
import { localDate } from '../deadlines/calendar.js';
import { timesOf } from '../experts/consultations.js';
import { DEFAULT_LIMITS, figuresOf } from '../experts/rules.js';
import { seedConsultations } from './consultations.js';
import { seedDemands } from './demands.js';
import { seedDemo } from './seed.js';

const NOW = '2026-11-23T03:00:00.000Z';

for (const target of testDatabases()) {
  test(`${target.name}: the demo expert seat: consultations of the last weeks in order, mostly in time, some passed over; problems and trainings; once`, async () => {
    const { database, cleanup } = await target.open();
    try {
      await seedDemo(database, { customers: 400, password: 'suqiu-demo', now: () => NOW });
      await seedDemands(database, { demands: 4000, seed: 11, now: () => NOW });
      const { consultationsCreated } = await seedConsultations(database, { seed: 11, now: () => NOW });
      assert.ok(consultationsCreated >= 20, `${consultationsCreated} consultations`);
      assert.equal((await seedConsultations(database, { seed: 11, now: () => NOW })).consultationsCreated, 0, 'idempotent');

      const { db } = database;
      const rows = await db
        .selectFrom('consultations')
        .innerJoin('demands', 'demands.id', 'consultations.demand_id')
        .selectAll('consultations')
        .select(['demands.type', 'demands.number as demand_number'])
        .execute();
      const experts = new Set((await db.selectFrom('user_roles').select('user_id').where('role', '=', 'expert').execute()).map((r) => r.user_id));
      for (const r of rows) {
        assert.equal(r.type, 'consultation');
        assert.ok(experts.has(r.expert_id));
        const t = timesOf(r);
        const moments = [t.calledAt, t.forwardedAt, t.assignedAt, t.acknowledgedAt, t.contactedAt, t.callEndedAt, t.repliedAt, t.callbackAt];
        for (let i = 1; i < moments.length; i++) assert.ok(moments[i]! >= moments[i - 1]!, `consultation ${r.id}: step ${i} before step ${i - 1}`);
        assert.ok(t.callbackAt! <= NOW);
        assert.equal(JSON.parse(r.tried_json).length, r.hand_overs + 1);
      }
      const f = figuresOf(
        rows.map((r) => ({ unitId: r.unit_id, expertId: r.expert_id, handOvers: r.hand_overs, ...timesOf(r) })),
        { ...DEFAULT_LIMITS },
        new Date(NOW),
      );
      const forward = f.steps.find((s) => s.step === 'forward')!;
      assert.ok(forward.withinShare! > 0.6 && forward.withinShare! < 1, `forward in time: ${forward.withinShare}`);
      assert.ok(f.handOvers > 0, 'some experts were passed over');

      const problems = await db.selectFrom('common_problems').select(['id', 'meeting_month']).execute();
      assert.ok(problems.length > 0);
      const trainings = await db.selectFrom('expert_trainings').select('held_on').execute();
      assert.ok(trainings.length > 0 && trainings.every((x) => x.held_on <= localDate(new Date(NOW))));
    } finally {
      await cleanup();
    }
  });
}
