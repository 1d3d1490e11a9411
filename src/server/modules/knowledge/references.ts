import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { ServiceContext } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { can } from '../../platform/policy.js';
import { visibleUnitIds } from '../org/service.js';
import { presentFile } from './attachments.js';
import * as repo from './repository.js';
import { parseSections, type Sections } from './rules.js';

// What a version's sections refer to: the uploaded files of 相关文件 and the
// demands cited in 实际案例. Read for showing a version (the demands only as far
// as the caller may see them), and checked and linked when a version is saved.

/** What versions refer to, read once for all of them: their files, and the demands they cite (what each is about only where the caller may see it). */
export async function referencesOf(ctx: ServiceContext, versions: readonly repo.VersionRow[]) {
  const sections = versions.map((v) => parseSections(v.sections_json));
  const [files, demands] = await Promise.all([
    repo.filesByIds(
      ctx.db,
      sections.flatMap((s) => s.attachments),
    ),
    repo.demandsByNumbers(
      ctx.db,
      sections.flatMap((s) => s.caseDemands),
    ),
  ]);
  const visible = demands.length > 0 && can(ctx.actor, 'demand.read') ? await visibleUnitIds(ctx) : new Set<number>();
  return {
    files: new Map(files.map((f) => [f.id, presentFile(f)])),
    cases: new Map(
      demands.map((d) => [
        d.number,
        visible.has(d.unit_id)
          ? {
              number: d.number,
              demandId: d.id,
              category: d.category,
              status: d.status,
              excerpt: d.content.length > 60 ? `${d.content.slice(0, 60)}…` : d.content,
            }
          : { number: d.number, demandId: null, category: null, status: null, excerpt: null },
      ]),
    ),
  };
}
export type References = Awaited<ReturnType<typeof referencesOf>>;
export const NO_REFERENCES: References = { files: new Map(), cases: new Map() };

/**
 * Points the version at the files and demands its sections list, after
 * checking that each exists: a body that names a missing one is refused
 * (400, naming it) before anything is saved.
 */
export async function linkReferences(trx: Transaction<DB>, versionId: number, s: Pick<Sections, 'attachments' | 'caseDemands'>): Promise<void> {
  const files = new Set((await repo.filesByIds(trx, s.attachments)).map((f) => f.id));
  const missingFile = s.attachments.find((id) => !files.has(id));
  if (missingFile !== undefined) throw invalid('sections.attachments', `there is no uploaded file ${missingFile}`);
  const demands = new Map((await repo.demandsByNumbers(trx, s.caseDemands)).map((d) => [d.number, d.id]));
  const missingDemand = s.caseDemands.find((n) => !demands.has(n));
  if (missingDemand !== undefined) throw invalid('sections.caseDemands', `there is no demand numbered ${missingDemand}`);
  await repo.setVersionLinks(
    trx,
    versionId,
    s.attachments,
    s.caseDemands.map((n) => demands.get(n)!),
  );
}
