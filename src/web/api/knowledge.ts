import type { z } from 'zod';
import type {
  Article,
  ArticleBody as ArticleBodySchema,
  ArticleDiff as ArticleDiffSchema,
  ArticleFile,
  ImportReport,
  SearchResult as SearchResultSchema,
  Synonyms as SynonymsSchema,
  VersionSummary as VersionSummarySchema,
} from '../../shared/schemas/knowledge.js';
import { request, sendFile } from './client.js';

// The knowledge base's API, as the agent's pages use it.

export type SearchResult = z.infer<typeof SearchResultSchema>;
export type { Article, ArticleFile, ImportReport };

export const searchArticles = (query: { q: string; category?: string | undefined; tag?: string | undefined; limit?: number }) =>
  request<SearchResult>('GET', '/articles/search', undefined, query);
/** Articles for what a caller says, while the demand is registered. */
export const suggestArticles = (text: string, category?: string) => request<SearchResult>('GET', '/articles/suggest', undefined, { text, category });
export const getArticle = (id: number) => request<Article>('GET', `/articles/${id}`);

// ── the knowledge group's work ─────────────────────────────────────────────
export type ArticleBody = z.input<typeof ArticleBodySchema>;
export type VersionSummary = z.infer<typeof VersionSummarySchema>;
export type ArticleDiff = z.infer<typeof ArticleDiffSchema>;

export const createArticle = (body: ArticleBody) => request<Article>('POST', '/articles', body);
export const editArticle = (id: number, body: ArticleBody) => request<Article>('PUT', `/articles/${id}`, body);
export const submitArticle = (id: number) => request<Article>('POST', `/articles/${id}/submit`);
export const approveArticle = (id: number, comment?: string) => request<Article>('POST', `/articles/${id}/approve`, comment ? { comment } : {});
export const rejectArticle = (id: number, comment: string) => request<Article>('POST', `/articles/${id}/reject`, { comment });
export const reviseArticle = (id: number) => request<Article>('POST', `/articles/${id}/revise`);
export const listArticles = (query: { revision?: 'overdue' | 'due_soon'; review?: 'draft' | 'submitted' | 'rejected' }) =>
  request<Article[]>('GET', '/articles', undefined, query);
export const articleVersions = (id: number) => request<VersionSummary[]>('GET', `/articles/${id}/versions`);
export const articleDiff = (id: number, from: number, to: number) => request<ArticleDiff>('GET', `/articles/${id}/diff`, undefined, { from, to });

/** 近义词表: what callers say (phrase) and the articles' words for it (words, space-separated), used by the search. */
export type Synonym = z.infer<typeof SynonymsSchema>['items'][number];
export const listSynonyms = () => request<{ items: Synonym[] }>('GET', '/knowledge/synonyms');
/** Replaces the whole list (knowledge editors). */
export const saveSynonyms = (items: Synonym[]) => request<{ items: Synonym[] }>('PUT', '/knowledge/synonyms', { items });

// ── 相关文件, and moving articles in and out ──────────────────────────────
/** Where a file of 相关文件 is read (PDF and images shown, Word and Excel downloaded). */
export const articleFileUrl = (id: number) => `/api/articles/files/${id}`;
/** The published base as a workbook (.xlsx), downloaded. */
export const ARTICLES_EXPORT_URL = '/api/articles/export';

/** Keeps a file for 相关文件; its id then goes in `sections.attachments`. */
export const uploadArticleFile = (file: File) => sendFile<ArticleFile>('/articles/files', file, { name: file.name });
export const importSpreadsheet = (file: File) => sendFile<ImportReport>('/articles/import/spreadsheet', file, { name: file.name });
export const importMarkdown = (files: { name: string; text: string }[]) => request<ImportReport>('POST', '/articles/import/markdown', { files });
