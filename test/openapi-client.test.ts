import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import type { OpenApiDocument } from './helpers/openapi.js';

// A client generated from the served document (issue 13): openapi-typescript
// makes the types, a small openapi-fetch client written against them signs
// in, registers a demand with an Idempotency-Key and the x-csrf-token header
// (both typed from the document's parameters), and reads it back. `tsc`
// checks the client; then it runs against the app over HTTP, where a change
// without the CSRF header is still refused.

/** The client, as an integrator would write it against the generated `paths`. */
const CLIENT = `import createClient from 'openapi-fetch';
import type { components, paths } from './api.js';

type DemandDetail = components['schemas']['DemandDetail'];

export async function registerAndRead(baseUrl: string, username: string, password: string) {
  const api = createClient<paths>({ baseUrl });
  const signedIn = await api.POST('/api/auth/login', { body: { username, password } });
  if (!signedIn.data) throw new Error(\`login: \${signedIn.response.status}\`);
  const roles: string[] = signedIn.data.user.roles;
  const cookies = signedIn.response.headers.getSetCookie().map((c) => c.split(';', 1)[0]!);
  const csrf = cookies.find((c) => c.startsWith('csrf_token='))!.slice('csrf_token='.length);
  const cookie = cookies.join('; ');
  const body = { channel: 'phone', type: 'consultation', category: 'supply_service', customer: { phone: '0871-65550001' }, content: '咨询电费缴纳方式' } as const;

  const withoutCsrf = await api.POST('/api/demands', { headers: { cookie }, body });
  const key = \`client-\${Date.now()}\`;
  const created = await api.POST('/api/demands', { params: { header: { 'x-csrf-token': csrf, 'Idempotency-Key': key } }, headers: { cookie }, body });
  if (!created.data) throw new Error(\`register: \${created.response.status} \${JSON.stringify(created.error)}\`);
  const again = await api.POST('/api/demands', { params: { header: { 'x-csrf-token': csrf, 'Idempotency-Key': key } }, headers: { cookie }, body });
  const read = await api.GET('/api/demands/{id}', { params: { path: { id: created.data.id } }, headers: { cookie } });
  if (!read.data) throw new Error(\`read: \${read.response.status}\`);
  const demand: DemandDetail = read.data;
  const firstEvent: string | undefined = demand.timeline[0]?.kind;

  // @ts-expect-error the document names every path: an unknown one is a type error
  await api.GET('/api/no-such-path');
  // @ts-expect-error and every header an operation takes
  await api.POST('/api/demands', { params: { header: { 'x-no-such-header': '1' } }, body });

  return {
    roles,
    withoutCsrf: withoutCsrf.response.status,
    created: created.response.status,
    replayed: again.response.headers.get('idempotent-replayed'),
    againId: again.data?.id,
    id: demand.id,
    number: demand.number,
    etag: read.response.headers.get('etag'),
    firstEvent,
  };
}
`;

let generated: Promise<string> | undefined;
/** Generates the types and the client into a temporary folder and type-checks them, once for every database. */
function generateClient(doc: OpenApiDocument): Promise<string> {
  generated ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suqiu-client-'));
    // The folder resolves openapi-fetch and @types/node from the project's packages.
    symlinkSync(join(process.cwd(), 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(dir, 'api.ts'), astToString(await openapiTS(doc as never)));
    writeFileSync(join(dir, 'client.ts'), CLIENT);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          types: ['node'],
          skipLibCheck: true,
          noUncheckedIndexedAccess: true,
        },
        files: ['client.ts', 'api.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(process.cwd(), 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(tsc.status, 0, `the generated client does not type-check:\n${tsc.stdout}${tsc.stderr}`);
    return dir;
  })();
  return generated;
}

const folders = new Set<string>();
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

for (const target of testDatabases()) {
  describe(`a client generated from the OpenAPI document (${target.name})`, () => {
    let t: TestApp;
    let base: string;
    let doc: OpenApiDocument;

    before(async () => {
      t = await startTestApp(target, { customers: 20 });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as OpenApiDocument;
    });
    after(() => t.close());

    test('its types are generated from the served document, and a client written against them type-checks', async () => {
      folders.add(await generateClient(doc));
    });

    test('the client signs in, registers a demand with an Idempotency-Key and reads it back over HTTP', async () => {
      const dir = await generateClient(doc);
      const client = (await import(pathToFileURL(join(dir, 'client.ts')).href)) as {
        registerAndRead: (base: string, username: string, password: string) => Promise<Record<string, unknown>>;
      };
      const result = await client.registerAndRead(base, 'agent', 'suqiu-demo');
      assert.equal(result.withoutCsrf, 403, 'a change with a session and no x-csrf-token is refused');
      assert.equal(result.created, 201, 'with the header the document describes, it is taken');
      assert.equal(result.replayed, 'true');
      assert.equal(result.againId, result.id, 'the same Idempotency-Key answers the same demand');
      assert.match(String(result.etag), /^"\d+"$/);
      assert.deepEqual(result.roles, ['agent']);
    });

    test('the notification stream answers with the content type the document names', async () => {
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'agent', password: 'suqiu-demo' }),
      });
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';', 1)[0]!)
        .join('; ');
      const abort = new AbortController();
      const res = await fetch(`${base}/api/notifications/stream`, { headers: { cookie }, signal: abort.signal });
      try {
        assert.equal(res.status, 200);
        const type = String(res.headers.get('content-type')).split(';', 1)[0]!;
        assert.ok(doc.paths['/api/notifications/stream']!.get!.responses['200']!.content![type], `${type} is documented`);
        const reader = res.body!.getReader();
        const first = new TextDecoder().decode((await reader.read()).value);
        assert.match(first, /^retry: \d+/);
      } finally {
        abort.abort();
      }
    });
  });
}
