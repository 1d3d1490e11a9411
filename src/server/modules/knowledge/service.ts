// What other modules call of the knowledge base. The module's own files import
// from where the work is done: articles.ts (drafts, review, publishing),
// reading.ts, versions.ts, search.ts, references.ts, uses.ts.

// A demand's articles (demands), the index (the demo's generated articles).
export { indexArticle, linkArticles } from './repository.js';
export { articleTokens } from './search.js';
