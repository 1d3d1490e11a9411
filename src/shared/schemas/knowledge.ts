import { z } from 'zod';
import { DEMAND_CATEGORIES } from '../codes.js';
import { Text } from './common.js';

// The knowledge base (API.md, "Knowledge base"): six-section articles, their
// versions and review, and the search.

export const AUDIENCES = ['agents', 'public'] as const;
export const VERSION_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;

const Body = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

export const SectionsBody = z.strictObject({
  rule: Body(20_000).min(1, 'must not be empty'),
  script: Body(20_000).min(1, 'must not be empty'),
  reminders: Body(10_000).default(''),
  documents: Body(10_000).default(''),
  cases: Body(20_000).default(''),
  faq: z
    .array(z.strictObject({ q: Text(500), a: Body(4000).min(1, 'must not be empty') }))
    .max(100)
    .default([]),
  /** 相关文件: the uploaded files (POST /api/articles/files) the version lists, by id. */
  attachments: z.array(z.number().int().positive().max(2_147_483_647)).max(30, 'at most 30 files').default([]),
  /** 实际案例: the real demands the version cites, by number. */
  caseDemands: z.array(Text(32)).max(30, 'at most 30 demands').default([]),
});

export const ArticleBody = z.strictObject({
  title: Text(200),
  category: z.enum(DEMAND_CATEGORIES),
  tags: z.array(Text(64)).max(30).default([]),
  audience: z.enum(AUDIENCES).default('agents'),
  sections: SectionsBody,
});
export type ArticleBody = z.infer<typeof ArticleBody>;

export const ReviewBody = z.strictObject({ comment: z.string().trim().max(4000).optional() }).optional();
export const RejectBody = z.strictObject({ comment: z.string().trim().min(1, 'say what to change').max(4000) });

const Sections = z.object({
  rule: z.string(),
  script: z.string(),
  reminders: z.string(),
  documents: z.string(),
  cases: z.string(),
  faq: z.array(z.object({ q: z.string(), a: z.string() })),
  attachments: z.array(z.number().int()),
  caseDemands: z.array(z.string()),
});

export const ArticleFile = z.object({ id: z.number().int(), name: z.string(), contentType: z.string(), size: z.number().int(), createdAt: z.string() });
export type ArticleFile = z.infer<typeof ArticleFile>;

/** A demand cited as a case: its number always; what it is about only for those who may see the demand. */
export const CaseLink = z.object({
  number: z.string(),
  demandId: z.number().int().nullable(),
  category: z.string().nullable(),
  status: z.string().nullable(),
  excerpt: z.string().nullable(),
});

export const ArticleVersion = z.object({
  id: z.number().int(),
  number: z.number().int(),
  title: z.string(),
  category: z.string(),
  tags: z.array(z.string()),
  audience: z.enum(AUDIENCES),
  sections: Sections,
  /** The files of `sections.attachments`, in that order. */
  files: z.array(ArticleFile),
  /** The demands of `sections.caseDemands`, in that order. */
  caseLinks: z.array(CaseLink),
  status: z.enum(VERSION_STATUSES),
  authorId: z.number().int(),
  authorName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  reviewerId: z.number().int().nullable(),
  reviewerName: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewComment: z.string().nullable(),
  publishedAt: z.string().nullable(),
});

export const Article = z.object({
  id: z.number().int(),
  title: z.string(),
  category: z.string(),
  tags: z.array(z.string()),
  audience: z.enum(AUDIENCES),
  ownerUnitId: z.number().int(),
  ownerUnitName: z.string(),
  /** The version agents read; null until the first approval. */
  published: ArticleVersion.nullable(),
  /** The version being written or reviewed (editors and reviewers only). */
  draft: ArticleVersion.nullable(),
  publishedAt: z.string().nullable(),
  /** A year after publication (滚动修编). */
  revisionDueAt: z.string().nullable(),
  revision: z.enum(['none', 'ok', 'due_soon', 'overdue']),
  useCount: z.number().int(),
  version: z.number().int(),
});
export type Article = z.infer<typeof Article>;

export const VersionSummary = ArticleVersion.omit({ sections: true, files: true, caseLinks: true });
export const ArticleDiff = z.object({
  from: z.number().int(),
  to: z.number().int(),
  sections: z.array(
    z.object({ section: z.string(), changed: z.boolean(), pieces: z.array(z.object({ op: z.enum(['same', 'added', 'removed']), text: z.string() })) }),
  ),
});

/** What callers say (phrase) and the articles' words for it (words, space-separated). */
export const Synonyms = z.object({ items: z.array(z.object({ phrase: z.string(), words: z.string() })) });
export const SetSynonymsBody = z.strictObject({
  items: z
    .array(z.strictObject({ phrase: z.string().trim().min(1, 'must not be empty').max(50), words: z.string().trim().min(1, 'must not be empty').max(200) }))
    .max(2000),
});

export const SearchQuery = z.strictObject({
  q: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  category: z.enum(DEMAND_CATEGORIES).optional(),
  tag: z.string().trim().min(1).max(64).optional(),
  audience: z.enum(AUDIENCES).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const SearchResult = z.object({
  items: z.array(
    z.object({ id: z.number().int(), title: z.string(), snippet: z.string(), score: z.number(), category: z.string(), tags: z.array(z.string()) }),
  ),
  /** The number of matches, counted up to 1,000. */
  total: z.number().int(),
  /** There are more than `total` matches: the count stopped there. */
  totalCapped: z.boolean(),
});

/** POST /api/articles/import/markdown: the Markdown files, each one article (front matter, then the six "## " sections). */
export const MarkdownImportBody = z.strictObject({
  files: z
    .array(
      z.strictObject({ name: z.string().trim().min(1, 'must not be empty').max(255), text: z.string().max(200_000, 'must be at most 200,000 characters') }),
    )
    .min(1, 'must list at least one file')
    .max(5000),
});

const ImportEntry = z.object({ source: z.string(), id: z.number().int(), title: z.string() });
export const ImportReport = z.object({
  created: z.array(ImportEntry),
  revised: z.array(ImportEntry),
  unchanged: z.array(ImportEntry),
  skipped: z.array(ImportEntry),
  /** Whether the new versions wait for review or were published. */
  outcome: z.enum(['submitted', 'published']),
});
export type ImportReport = z.infer<typeof ImportReport>;
