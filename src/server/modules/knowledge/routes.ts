import { z } from 'zod';
import { ErrorResponse, IdParams } from '../../../shared/schemas/common.js';
import { DEMAND_CATEGORIES } from '../../../shared/codes.js';
import {
  Article,
  ArticleBody,
  ArticleDiff,
  ArticleFile,
  ImportReport,
  MarkdownImportBody,
  RejectBody,
  ReviewBody,
  SearchQuery,
  SearchResult,
  SetSynonymsBody,
  Synonyms,
  VersionSummary,
} from '../../../shared/schemas/knowledge.js';
import { localDate } from '../../../shared/time.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { approveArticle, createArticle, editDraft, rejectArticle, reviseArticle, submitArticle } from './articles.js';
import { readFile, uploadFile } from './attachments.js';
import { FileStore } from './file-store.js';
import { exportWorkbook } from './exporting.js';
import { ACCEPTED, contentDisposition, extensionOf } from './files.js';
import { importArticles, workbookBatch } from './importing.js';
import { getArticle, listArticles } from './reading.js';
import { listSynonyms, searchArticles, setSynonyms, suggestArticles } from './search.js';
import { parseMarkdown } from './transfer.js';
import { articleUses } from './uses.js';
import { diffVersions, listVersions } from './versions.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const tags = ['knowledge'];

const ListQuery = z.strictObject({
  revision: z.enum(['overdue', 'due_soon']).optional(),
  review: z.enum(['draft', 'submitted', 'rejected']).optional(),
  category: z.enum(DEMAND_CATEGORIES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const DiffQuery = z.strictObject({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });
const SuggestQuery = z.strictObject({
  text: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
  category: z.enum(DEMAND_CATEGORIES).optional(),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});
const Use = z.object({ id: z.number().int(), number: z.string(), linkedAt: z.string() });

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FileQuery = z.strictObject({ name: z.string().trim().min(1, 'must be the file name, e.g. 供电营业规则.pdf').max(1000) });

export async function knowledgeRoutes(app: App, deps: Deps): Promise<void> {
  const ctx = (request: Parameters<typeof serviceContext>[0]) => serviceContext(request, deps);
  const store = FileStore.under(deps.config.dataDir);
  const maxMb = Math.round((deps.config.attachmentMaxBytes / 1024 / 1024) * 10) / 10;

  // The file itself is the body (application/octet-stream), its name in the query: no multipart to parse.
  await app.register(async (scope: App) => {
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: deps.config.attachmentMaxBytes }, (_request, body, done) =>
      done(null, body),
    );
    scope.post(
      '/api/articles/files',
      {
        config: { action: 'article.edit', tooLarge: `a file may be at most ${maxMb} MB (SUQIU_ATTACHMENT_MAX_MB)` },
        bodyLimit: deps.config.attachmentMaxBytes,
        schema: {
          tags,
          summary: `Upload a file for 相关文件 (${ACCEPTED}; the body is the file, application/octet-stream), then list its id in sections.attachments`,
          consumes: ['application/octet-stream'],
          querystring: FileQuery,
          response: { 201: ArticleFile, ...errors, 413: ErrorResponse, 415: ErrorResponse },
        },
      },
      async (request, reply) => {
        if (!Buffer.isBuffer(request.body))
          throw new AppError('unsupported_media_type', 'send the file itself as the body, with content-type application/octet-stream');
        const file = await uploadFile(ctx(request), store, request.query.name, request.body);
        return reply.code(201).send(file);
      },
    );
    scope.post(
      '/api/articles/import/spreadsheet',
      {
        config: { action: 'article.edit', tooLarge: `a workbook may be at most ${maxMb} MB` },
        bodyLimit: deps.config.attachmentMaxBytes,
        schema: {
          tags,
          summary:
            'Import articles from a workbook (.xlsx; the body is the file): one per row, the six sections as columns; all or nothing; each submitted for review',
          consumes: ['application/octet-stream'],
          querystring: FileQuery,
          response: { 200: ImportReport, ...errors, 413: ErrorResponse, 415: ErrorResponse },
        },
      },
      async (request) => {
        if (!Buffer.isBuffer(request.body))
          throw new AppError('unsupported_media_type', 'send the workbook itself as the body, with content-type application/octet-stream');
        const name = request.query.name;
        if (extensionOf(name) !== 'xlsx') throw new AppError('unsupported_media_type', `"${name}" is not an Excel workbook (.xlsx)`);
        return importArticles(ctx(request), store, await workbookBatch(request.body, name), {
          existing: 'revise',
          maxFileBytes: deps.config.attachmentMaxBytes,
        });
      },
    );
  });
  app.post(
    '/api/articles/import/markdown',
    {
      config: { action: 'article.edit' },
      bodyLimit: 50 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import articles from Markdown files (front matter, then the six "## " sections); all or nothing; each submitted for review',
        body: MarkdownImportBody,
        response: { 200: ImportReport, ...errors },
      },
    },
    async (request) => {
      const parsed = request.body.files.map((f) => parseMarkdown(f.text, f.name));
      // Files linked from 相关文件 come with the command-line import of a folder; here they are named as missing.
      const items = parsed.flatMap((p) => (p.item ? [{ ...p.item, files: [] }] : []));
      return importArticles(
        ctx(request),
        store,
        { items, issues: parsed.flatMap((p) => p.issues) },
        { existing: 'revise', maxFileBytes: deps.config.attachmentMaxBytes },
      );
    },
  );
  app.get(
    '/api/articles/export',
    {
      config: { action: ['article.edit', 'article.review'] },
      schema: { tags, summary: 'The published base as a workbook (.xlsx), in the import’s columns', produces: [XLSX_TYPE] },
    },
    async (request, reply) => {
      const { bytes, continued } = await exportWorkbook(ctx(request));
      // Sections longer than a cell holds go on in the next column (transfer.ts toWorkbook): the workbook's second sheet names them, and so does this header.
      if (continued.length > 0)
        reply.header(
          'x-suqiu-export-notice',
          `articles ${continued.map((c) => c.id).join(', ')}: a section longer than one Excel cell (32,767 characters) continues in the column after it`,
        );
      const name = `知识库-${localDate(deps.clock(), deps.config.timeZone)}.xlsx`;
      return reply.header('content-type', XLSX_TYPE).header('content-disposition', contentDisposition(name, false)).send(bytes);
    },
  );
  app.get(
    '/api/articles/files/:id',
    {
      config: { action: 'article.read' },
      schema: { tags, summary: 'A file of 相关文件, with its type (PDF and images shown, Word and Excel downloaded)', produces: ['*/*'], params: IdParams },
    },
    async (request, reply) => {
      const file = await readFile(ctx(request), store, request.params.id);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', contentDisposition(file.name, file.inline))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=3600')
        .header('etag', `"${file.sha256}"`)
        .send(file.bytes);
    },
  );

  app.get(
    '/api/articles/search',
    {
      config: { action: 'article.read' },
      schema: {
        tags,
        summary: 'Published articles containing the words (jieba-segmented), title and rule first, with marked snippets',
        querystring: SearchQuery,
        response: { 200: SearchResult, ...errors },
      },
    },
    async (request) => searchArticles(ctx(request), request.query),
  );
  app.get(
    '/api/knowledge/synonyms',
    {
      config: { action: 'article.read' },
      schema: { tags, summary: 'The synonym list: what callers say, and the articles’ words for it', response: { 200: Synonyms } },
    },
    async (request) => listSynonyms(ctx(request)),
  );
  app.put(
    '/api/knowledge/synonyms',
    {
      config: { action: 'article.edit' },
      schema: { tags, summary: 'Replace the synonym list (knowledge group)', body: SetSynonymsBody, response: { 200: Synonyms, ...errors } },
    },
    async (request) => setSynonyms(ctx(request), request.body.items),
  );
  app.get(
    '/api/articles/suggest',
    {
      config: { action: 'article.read' },
      schema: {
        tags,
        summary: 'Articles for what a caller says (the agent’s side panel while registering)',
        querystring: SuggestQuery,
        response: { 200: SearchResult, ...errors },
      },
    },
    async (request) => suggestArticles(ctx(request), request.query),
  );
  app.get(
    '/api/articles/:id/uses',
    {
      config: { action: 'article.read' },
      schema: { tags, summary: 'The demands the article was used on (those the caller may see)', params: IdParams, response: { 200: z.array(Use), ...errors } },
    },
    async (request) => articleUses(ctx(request), request.params.id),
  );
  app.get(
    '/api/articles',
    {
      config: { action: 'article.read' },
      schema: {
        tags,
        summary: 'Articles due (or overdue) for their yearly revision, or under review',
        querystring: ListQuery,
        response: { 200: z.array(Article), ...errors },
      },
    },
    async (request) => listArticles(ctx(request), request.query),
  );
  app.post(
    '/api/articles',
    {
      config: { action: 'article.edit' },
      schema: { tags, summary: 'A new article: its first version, a draft', body: ArticleBody, response: { 201: Article, ...errors } },
    },
    async (request, reply) => {
      reply.code(201);
      return createArticle(ctx(request), request.body);
    },
  );
  app.get(
    '/api/articles/:id',
    {
      config: { action: 'article.read' },
      schema: {
        tags,
        summary: 'The published version, and for the knowledge group the one under work',
        params: IdParams,
        response: { 200: Article, ...errors },
      },
    },
    async (request) => getArticle(ctx(request), request.params.id),
  );
  app.put(
    '/api/articles/:id',
    {
      config: { action: 'article.edit' },
      schema: {
        tags,
        summary: 'Edit the version being written (a draft, or a rejected one)',
        params: IdParams,
        body: ArticleBody,
        response: { 200: Article, ...errors },
      },
    },
    async (request) => editDraft(ctx(request), request.params.id, request.body),
  );
  app.post(
    '/api/articles/:id/submit',
    { config: { action: 'article.edit' }, schema: { tags, summary: 'Submit the draft for review', params: IdParams, response: { 200: Article, ...errors } } },
    async (request) => submitArticle(ctx(request), request.params.id),
  );
  app.post(
    '/api/articles/:id/approve',
    {
      config: { action: 'article.review' },
      schema: { tags, summary: 'Approve and publish (not one’s own version)', params: IdParams, body: ReviewBody, response: { 200: Article, ...errors } },
    },
    async (request) => approveArticle(ctx(request), request.params.id, request.body?.comment),
  );
  app.post(
    '/api/articles/:id/reject',
    {
      config: { action: 'article.review' },
      schema: { tags, summary: 'Send the version back with what to change', params: IdParams, body: RejectBody, response: { 200: Article, ...errors } },
    },
    async (request) => rejectArticle(ctx(request), request.params.id, request.body.comment),
  );
  app.post(
    '/api/articles/:id/revise',
    {
      config: { action: 'article.edit' },
      schema: {
        tags,
        summary: 'Start a revision: a new draft from the published version, which stays live',
        params: IdParams,
        response: { 200: Article, ...errors },
      },
    },
    async (request) => reviseArticle(ctx(request), request.params.id),
  );
  app.get(
    '/api/articles/:id/versions',
    {
      config: { action: 'article.read' },
      schema: { tags, summary: 'Every version kept', params: IdParams, response: { 200: z.array(VersionSummary), ...errors } },
    },
    async (request) => listVersions(ctx(request), request.params.id),
  );
  app.get(
    '/api/articles/:id/diff',
    {
      config: { action: 'article.read' },
      schema: {
        tags,
        summary: 'Two versions compared, section by section',
        params: IdParams,
        querystring: DiffQuery,
        response: { 200: ArticleDiff, ...errors },
      },
    },
    async (request) => diffVersions(ctx(request), request.params.id, request.query.from, request.query.to),
  );
}
