import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import { notify } from '../../platform/notify.js';
import * as repo from './repository.js';
import { REVISION_WARN_DAYS } from './rules.js';

// The knowledge base's part of the scheduler pass: the knowledge group is told
// a month before a published article falls due for its yearly revision, and
// again once it is overdue. Each notice is claimed with a guarded UPDATE in the
// transaction that sends it: once per due date, across restarts and processes.

const BATCH = 200;

export async function runRevisionNotices(db: Kysely<DB>, now: Date): Promise<number> {
  const at = now.toISOString();
  const soon = new Date(now.getTime() + REVISION_WARN_DAYS * 86_400_000).toISOString();
  let sent = 0;
  for (const kind of ['warned', 'overdue'] as const) {
    const column = kind === 'warned' ? 'revision_warned_for' : 'revision_overdue_for';
    for (;;) {
      const due = await repo.dueForRevisionNotice(db, column, kind === 'warned' ? soon : at, BATCH);
      for (const a of due) {
        const claimed = await db.transaction().execute(async (trx) => {
          if (!(await repo.claimRevisionNotice(trx, a.id, column, a.revision_due_at))) return false;
          const title = kind === 'warned' ? `知识即将到期修编: ${a.title}` : `知识已超期未修编: ${a.title}`;
          await notify(trx, at, [
            { role: 'kb_editor', kind: kind === 'warned' ? 'article_revision_due' : 'article_revision_overdue', title },
            ...(kind === 'overdue' ? [{ role: 'kb_reviewer', kind: 'article_revision_overdue', title }] : []),
          ]);
          await recordAudit(
            trx,
            { actor: null, now: () => at },
            { action: `article.revision_${kind}`, entityType: 'article', entityId: a.id, unitId: a.owner_unit_id, after: { dueAt: a.revision_due_at } },
          );
          return true;
        });
        if (claimed) sent++;
      }
      if (due.length < BATCH) break;
    }
  }
  return sent;
}
