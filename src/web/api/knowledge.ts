import type { z } from 'zod';
import type { Article, SearchResult as SearchResultSchema } from '../../shared/schemas/knowledge.js';
import { request } from './client.js';

// The knowledge base's API, as the agent's pages use it.

export type SearchResult = z.infer<typeof SearchResultSchema>;
export type { Article };

export const searchArticles = (query: { q: string; category?: string | undefined; tag?: string | undefined; limit?: number }) => request<SearchResult>('GET', '/articles/search', undefined, query);
/** Articles for what a caller says, while the demand is registered. */
export const suggestArticles = (text: string, category?: string) => request<SearchResult>('GET', '/articles/suggest', undefined, { text, category });
export const getArticle = (id: number) => request<Article>('GET', `/articles/${id}`);
