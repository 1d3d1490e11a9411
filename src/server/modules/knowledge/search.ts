import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { SearchQuery, SearchResult } from '../../../shared/schemas/knowledge.js';
import type { DB } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { indexTokens, isDomainWord, queryWords } from '../../platform/text.js';
import * as repo from './repository.js';
import { parseSections, searchWords, snippet, type Sections, type Synonym } from './rules.js';

// Finding articles: the words a published version is indexed with, the search
// of the knowledge base, the suggestions while an agent registers a demand,
// and the synonym list that turns a caller's everyday words into the
// articles' own.

/** The words of an article for the index: the title and the rule apart, the rest (with the files' names) together. */
export function articleTokens(title: string, s: Sections, tags: readonly string[], fileNames: readonly string[] = []): repo.SearchTokens {
  const rest = [s.script, s.reminders, s.documents, ...fileNames, s.cases, ...s.faq.flatMap((f) => [f.q, f.a]), ...tags].join('\n');
  return { title: indexTokens(title), rule: indexTokens(s.rule), body: indexTokens(rest) };
}

/** A version's words for the index (articleTokens above), its files by their names. */
export async function tokensOf(db: Kysely<DB>, v: { title: string; tags_json: string; sections_json: string }): Promise<repo.SearchTokens> {
  const sections = parseSections(v.sections_json);
  const names = new Map((await repo.filesByIds(db, sections.attachments)).map((f) => [f.id, f.name.replace(/\.[^.]+$/, '')]));
  return articleTokens(
    v.title,
    sections,
    JSON.parse(v.tags_json) as string[],
    sections.attachments.flatMap((id) => names.get(id) ?? []),
  );
}

/**
 * GET /api/articles/search: published articles containing the query's words,
 * title and rule first (repository.ts, searchIndex), with a marked snippet.
 * A caller's everyday words are searched as the articles say them (the
 * synonym list: 家里没电了 → 停电); when no article has all the words, those
 * with any of them come, the most words first.
 */
export async function searchArticles(ctx: ServiceContext, q: z.infer<typeof SearchQuery>): Promise<z.infer<typeof SearchResult>> {
  authorize(ctx.actor, 'article.read');
  const words = searchWords(q.q, await repo.loadSynonyms(ctx.db), queryWords);
  let { hits, total, totalCapped } = await repo.searchIndex(ctx.db, ctx.dialect, words, q, q.limit);
  if (hits.length === 0 && words.length > 1) ({ hits, total, totalCapped } = await anyWord(ctx, words, q));
  const versions = new Map(
    (
      await repo.publishedVersionsOf(
        ctx.db,
        hits.map((h) => h.id),
      )
    ).map((v) => [v.id, v]),
  );
  return {
    items: hits.flatMap((h) => {
      const v = versions.get(h.id);
      if (!v) return [];
      const s = parseSections(v.sections_json);
      // The rule or the script when the words are there, else any section that has them.
      const texts = [s.rule, s.script, s.reminders, s.cases, s.documents, ...s.faq.flatMap((f) => [f.q, f.a])];
      const text = texts.find((t) => words.some((w) => t.toLowerCase().includes(w))) ?? s.rule;
      return [{ id: h.id, title: v.title, snippet: snippet(text, words), score: h.score, category: v.category, tags: JSON.parse(v.tags_json) as string[] }];
    }),
    total,
    totalCapped,
  };
}

/** The articles with any of the words: more words found first, then the better place (title, rule, body). */
async function anyWord(ctx: ServiceContext, words: readonly string[], q: z.infer<typeof SearchQuery>) {
  const scores = new Map<number, number>();
  let totalCapped = false;
  for (const word of words) {
    const found = await repo.searchIndex(ctx.db, ctx.dialect, [word], q, q.limit);
    totalCapped ||= found.totalCapped;
    for (const h of found.hits) scores.set(h.id, (scores.get(h.id) ?? 0) + 10 + h.score);
  }
  const hits = [...scores.entries()].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || b.id - a.id);
  return { hits: hits.slice(0, q.limit), total: hits.length, totalCapped };
}

/** The synonym list: what callers say and what the articles call it. */
export async function listSynonyms(ctx: ServiceContext): Promise<{ items: Synonym[] }> {
  authorize(ctx.actor, 'article.read');
  return { items: await repo.loadSynonyms(ctx.db) };
}

export async function setSynonyms(ctx: ServiceContext, items: Synonym[]): Promise<{ items: Synonym[] }> {
  authorize(ctx.actor, 'article.edit');
  const seen = new Set<string>();
  items.forEach((s, i) => {
    if (seen.has(s.phrase)) throw invalid(`items.${i}.phrase`, `${s.phrase} is listed twice`);
    seen.add(s.phrase);
  });
  const before = await repo.loadSynonyms(ctx.db);
  await ctx.transact(async (trx) => {
    await repo.replaceSynonyms(trx, items, ctx.now());
    await recordAudit(trx, ctx, { action: 'knowledge.synonyms_set', entityType: 'knowledge_synonyms', entityId: 'list', before, after: items });
  });
  return listSynonyms(ctx);
}

/** Words too common in a caller's account to say what it is about. */
const FILLER = new Set([
  '客户',
  '您好',
  '请问',
  '我们',
  '你们',
  '他们',
  '自己',
  '一下',
  '没有',
  '这个',
  '那个',
  '什么',
  '怎么',
  '为什么',
  '可以',
  '已经',
  '现在',
  '今天',
  '昨天',
  '还是',
  '要求',
  '反映',
  '问题',
  '情况',
  '处理',
  '家里',
  '家中',
]);

/**
 * The articles for what a caller says, while the agent registers the demand:
 * the account's words of the trade first, then its longest others (five at
 * most), each searched on its own within the category; an article found by
 * more of them, and in a better place, comes first.
 */
export async function suggestArticles(
  ctx: ServiceContext,
  q: { text: string; category?: string | undefined; limit: number },
): Promise<z.infer<typeof SearchResult>> {
  authorize(ctx.actor, 'article.read');
  const words = [...new Set(queryWords(q.text))].filter((w) => [...w].length >= 2 && !FILLER.has(w));
  const keywords = [...words.filter(isDomainWord), ...words.filter((w) => !isDomainWord(w)).sort((a, b) => [...b].length - [...a].length)].slice(0, 5);
  const score = new Map<number, number>();
  for (const word of keywords) {
    const { hits } = await repo.searchIndex(ctx.db, ctx.dialect, [word], { category: q.category }, 20);
    for (const h of hits) score.set(h.id, (score.get(h.id) ?? 0) + 10 + h.score);
  }
  const best = [...score].sort((a, b) => b[1] - a[1] || b[0] - a[0]).slice(0, q.limit);
  const versions = new Map(
    (
      await repo.publishedVersionsOf(
        ctx.db,
        best.map(([id]) => id),
      )
    ).map((v) => [v.id, v]),
  );
  return {
    items: best.flatMap(([id, s]) => {
      const v = versions.get(id);
      if (!v) return [];
      const sections = parseSections(v.sections_json);
      const text = [sections.script, sections.rule].find((t) => keywords.some((w) => t.toLowerCase().includes(w))) ?? sections.script;
      return [{ id, title: v.title, snippet: snippet(text, keywords), score: s, category: v.category, tags: JSON.parse(v.tags_json) as string[] }];
    }),
    total: best.length,
    totalCapped: false,
  };
}
