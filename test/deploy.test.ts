import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { loadConfig } from '../src/server/config.js';

// deploy/suqiu.service and the Dockerfile, each tested to start the server.
// Neither systemd (not PID 1 here) nor a Docker engine runs these tests, so the
// files are read and the server is started as they say: from an install laid
// out as they lay it out (node_modules without dev dependencies, as
// `npm prune --omit=dev` leaves it), with their environment and command only,
// until /readyz answers 200; then SIGTERM, as `systemctl stop` and
// `docker stop` send, must end it with exit code 0 in the time they allow.
// systemd-analyze checks the unit where it is installed; a Docker engine, where
// one answers, builds and runs the image itself.

const ROOT = process.cwd();
const UNIT = readFileSync(join(ROOT, 'deploy/suqiu.service'), 'utf8');
const ENV_EXAMPLE = readFileSync(join(ROOT, 'deploy/suqiu.env.example'), 'utf8');
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
/** What a service or a container gets besides its own settings: systemd's default PATH holds where Node is installed. */
const BASE_ENV = { PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// ---- the files, read as systemd and Docker read them

/** A unit's [Service] (or other section) settings, each key with every value it is given, in order. */
function unitSection(text: string, name: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    if (section !== name) continue;
    const eq = line.indexOf('=');
    const key = line.slice(0, eq).trim();
    settings.set(key, [...(settings.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return settings;
}

/** Words as systemd and Docker split them: on blanks, with double quotes kept together. */
function words(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!));
}

/** KEY=value lines (EnvironmentFile=): comments and blank lines skipped, quotes around a value taken off. */
function envFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    assert.ok(m, `not KEY=value: ${line}`);
    env[m[1]!] = m[2]!.replace(/^"(.*)"$|^'(.*)'$/, '$1$2');
  }
  return env;
}

function seconds(span: string): number {
  let total = 0;
  for (const [, n, unit] of span.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|sec|min|m|h)?/g)) {
    total += Number(n) * ({ ms: 0.001, s: 1, sec: 1, min: 60, m: 60, h: 3600 }[unit ?? 's'] ?? 1);
  }
  return total;
}

interface Instruction {
  name: string;
  args: string;
}

/** The Dockerfile's stages, each a list of instructions (continuation lines joined, comments dropped). */
function dockerStages(text: string): Instruction[][] {
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line));
  const joined = lines.join('\n').replace(/\\\n/g, ' ');
  const stages: Instruction[][] = [];
  for (const line of joined.split('\n')) {
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const instruction = { name: m[1]!.toUpperCase(), args: m[2]!.trim() };
    if (instruction.name === 'FROM') stages.push([]);
    stages.at(-1)!.push(instruction);
  }
  return stages;
}

/** CMD, ENTRYPOINT or HEALTHCHECK's command: the exec form's array, or the shell form run by /bin/sh -c. */
function command(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : ['/bin/sh', '-c', args];
}

function dockerEnv(stage: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of stage.filter((i) => i.name === 'ENV')) {
    const parts = words(args);
    if (!parts[0]!.includes('=')) env[parts[0]!] = parts.slice(1).join(' ');
    else for (const part of parts) env[part.slice(0, part.indexOf('='))] = part.slice(part.indexOf('=') + 1);
  }
  return env;
}

// ---- the install

/** dist/server as built from the sources now: `npm run build:server` when it is missing or older than a source. */
function ensureBuiltServer(): void {
  const main = join(ROOT, 'dist/server/main.js');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return Math.max(max, newest(path));
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? Math.max(max, statSync(path).mtimeMs) : max;
    }, 0);
  if (existsSync(main) && statSync(main).mtimeMs >= Math.max(newest(join(ROOT, 'src/server')), newest(join(ROOT, 'src/shared')))) return;
  const build = spawnSync('npm', ['run', '-s', 'build:server'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build:server failed:\n${build.stdout}${build.stderr}`);
}

/** node_modules as `npm prune --omit=dev` leaves it: every package the lock file does not mark dev-only, linked from the checkout's. */
function productionModules(into: string): void {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  mkdirSync(into, { recursive: true });
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!/^node_modules\/(@[^/]+\/)?[^/]+$/.test(key) || entry.dev || !existsSync(join(ROOT, key))) continue;
    const name = key.slice('node_modules/'.length);
    mkdirSync(dirname(join(into, name)), { recursive: true });
    symlinkSync(join(ROOT, key), join(into, name));
  }
  assert.ok(!existsSync(join(into, 'tsx')) && !existsSync(join(into, 'typescript')), 'dev dependencies are left out');
}

/** One path of the install: node_modules pruned, anything else copied from the built checkout. */
function install(path: string, into: string): void {
  if (path === 'node_modules') return productionModules(into);
  assert.ok(existsSync(join(ROOT, path)), `${path} is in the build`);
  cpSync(join(ROOT, path), into, { recursive: true });
}

/** Every file under dir (links not followed) with its size and time: what the server may not change outside its data folder. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(`${path} ${entry.isSymbolicLink() ? 'link' : `${statSync(path).size} ${statSync(path).mtimeMs}`}`);
    }
  };
  walk(dir);
  return out.sort();
}

// ---- the server, as a service manager runs it

interface Started {
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after timeoutMs (and 'timeout'). */
  stop(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'timeout'>;
  /** For a test that failed: the process must not outlive it. */
  kill(): void;
  /** Once /healthz answers 200 (/readyz perhaps not yet). */
  alive(): Promise<void>;
  ready(): Promise<void>;
}

function run(argv: string[], options: { cwd: string; env: Record<string, string>; port: number }): Started {
  const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const until = async (path: string) => {
    const deadline = Date.now() + 45_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited while starting:\n${output}`);
      if (Date.now() > deadline) throw new Error(`${path} did not answer 200 within 45 s:\n${output}`);
      const status = await fetch(`http://127.0.0.1:${options.port}${path}`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    output: () => output,
    exited,
    kill: () => void child.kill('SIGKILL'),
    alive: () => until('/healthz'),
    ready: () => until('/readyz'),
    async stop(timeoutMs) {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)))]);
      clearTimeout(timer);
      if (result === 'timeout') child.kill('SIGKILL');
      return result;
    },
  };
}

ensureBuiltServer();

describe('deploy/suqiu.service', () => {
  const service = unitSection(UNIT, 'Service');
  const one = (key: string) => {
    const values = service.get(key);
    assert.ok(values && values.length > 0, `[Service] sets ${key}`);
    return values.at(-1)!;
  };

  test('is a hardened unit that runs the built server as an unprivileged user', () => {
    assert.equal(one('User'), 'suqiu');
    assert.equal(one('WorkingDirectory'), '/opt/suqiu');
    assert.equal(one('Restart'), 'on-failure');
    assert.equal(one('ProtectSystem'), 'strict');
    assert.equal(one('NoNewPrivileges'), 'yes');
    assert.equal(one('PrivateTmp'), 'yes');
    assert.ok(!service.has('MemoryDenyWriteExecute'), 'V8 needs writable executable memory');
    const unitEnv = Object.fromEntries((service.get('Environment') ?? []).flatMap(words).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
    assert.equal(unitEnv.SUQIU_DATA_DIR, '/var/lib/suqiu');
    assert.ok(words(one('ReadWritePaths')).includes(unitEnv.SUQIU_DATA_DIR), 'the data folder is the one it may write');
    assert.deepEqual(words(one('ExecStart')).slice(1), ['dist/server/main.js']);
  });

  test('the example settings document every variable the server reads, and the server accepts them', () => {
    const config = readFileSync(join(ROOT, 'src/server/config.ts'), 'utf8');
    const schema = config.slice(config.indexOf('const EnvSchema'), config.indexOf('export interface Config'));
    const read = [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!);
    assert.ok(read.length >= 15, `found the variables of config.ts (${read.join(', ')})`);
    for (const name of [...read, 'SUQIU_SCRYPT_LOG2N']) assert.match(ENV_EXAMPLE, new RegExp(`^#?${name}=`, 'm'), `${name} is in deploy/suqiu.env.example`);
    // Uncommented, every line as it stands; commented, every default it shows.
    loadConfig(envFile(ENV_EXAMPLE));
    const shown = envFile(ENV_EXAMPLE.replace(/^#([A-Z][A-Z0-9_]*=)/gm, '$1'));
    loadConfig(Object.fromEntries(Object.entries(shown).filter(([, value]) => value !== '')));
  });

  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  const noAnalyze = analyze.error || analyze.status !== 0 ? `systemd-analyze is not installed here (${analyze.error?.message ?? analyze.stderr})` : false;

  test('systemd-analyze verify finds nothing to say of it, and rates its exposure at most 2.0', { skip: noAnalyze }, () => {
    // verify also checks that ExecStart's binary exists: on a machine whose Node is not /usr/bin/node, a copy names this one's.
    const dir = mkdtempSync(join(tmpdir(), 'suqiu-unit-'));
    try {
      const binary = words(one('ExecStart'))[0]!;
      const unit = join(dir, 'suqiu.service');
      writeFileSync(unit, existsSync(binary) ? UNIT : UNIT.replace(`ExecStart=${binary} `, `ExecStart=${process.execPath} `));
      const verify = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
      const said = `${verify.stdout}${verify.stderr}`.split('\n').filter((line) => line.includes('suqiu.service'));
      assert.equal(verify.status, 0, verify.stderr);
      assert.deepEqual(said, [], 'no unknown keys or values');
      const security = spawnSync('systemd-analyze', ['security', '--offline=yes', '--threshold=20', '--no-pager', unit], { encoding: 'utf8' });
      assert.equal(security.status, 0, `${security.stdout.split('\n').slice(-3).join('\n')}${security.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('started as the unit says (its command, folder and settings only), it gets ready, writes only its data folder, and stops cleanly on SIGTERM within TimeoutStopSec', async () => {
    const work = mkdtempSync(join(tmpdir(), 'suqiu-unit-'));
    let server: Started | undefined;
    try {
      // WorkingDirectory=/opt/suqiu and the data folder /var/lib/suqiu, each a folder of the test's.
      const app = join(work, 'opt-suqiu');
      const state = join(work, 'var-lib-suqiu');
      mkdirSync(state);
      for (const path of ['package.json', 'node_modules', 'dist', 'demo']) install(path, join(app, path));
      const before = snapshot(app);

      // systemd: Environment= first, then EnvironmentFile= (whose settings win); the example stands for /etc/suqiu/suqiu.env.
      const env: Record<string, string> = { ...BASE_ENV, HOME: state };
      for (const w of (service.get('Environment') ?? []).flatMap(words)) env[w.slice(0, w.indexOf('='))] = w.slice(w.indexOf('=') + 1);
      assert.deepEqual(service.get('EnvironmentFile'), ['-/etc/suqiu/suqiu.env']);
      Object.assign(env, envFile(ENV_EXAMPLE));
      const port = await freePort();
      Object.assign(env, { SUQIU_DATA_DIR: env.SUQIU_DATA_DIR === '/var/lib/suqiu' ? state : assert.fail('the data folder moved'), PORT: String(port) });

      const [binary, ...args] = words(one('ExecStart'));
      assert.ok(binary?.startsWith('/'), 'systemd wants an absolute path to the program');
      // The unit names /usr/bin/node, Debian's and NodeSource's. Here the Node that built this checkout's
      // node_modules runs it: the machine's /usr/bin/node may be another version (CI installs Node 24 beside Debian's 20).
      const node = process.execPath;
      server = run([node, ...args], { cwd: app, env, port });
      await server.ready();
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
      assert.doesNotMatch(server.output(), /demo logins/, 'SUQIU_SEED_DEMO=false from the settings file');
      assert.ok(existsSync(join(state, 'suqiu.db')), 'the database is in the data folder');

      const stopMs = seconds(one('TimeoutStopSec')) * 1000;
      assert.ok(stopMs >= 10_000, 'time to finish a migration under way');
      const exit = await server.stop(stopMs);
      assert.deepEqual(exit, { code: 0, signal: null }, server.output());
      assert.deepEqual(snapshot(app), before, 'ProtectSystem=strict: nothing written outside ReadWritePaths');
    } finally {
      server?.kill();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('Dockerfile', () => {
  const stages = dockerStages(DOCKERFILE);
  const final = stages.at(-1)!;
  const build = stages.find((stage) => / AS build$/i.test(stage[0]!.args))!;
  const last = (name: string) => final.filter((i) => i.name === name).at(-1);
  const env = dockerEnv(final);

  test('builds in a stage of its own and runs pruned, unprivileged, on node:24-bookworm-slim', () => {
    assert.ok(build, 'a build stage');
    for (const stage of stages) assert.match(stage[0]!.args, /^node:24-bookworm-slim\b/);
    const runs = build.filter((i) => i.name === 'RUN').map((i) => i.args);
    assert.ok(
      runs.some((r) => /apt-get install .*python3.*make.*g\+\+/.test(r)),
      'better-sqlite3 can compile',
    );
    assert.ok(runs.some((r) => /\bnpm ci\b/.test(r)));
    assert.ok(runs.some((r) => /\bnpm run build\b/.test(r) && /\bnpm prune --omit=dev\b/.test(r)));
    const user = last('USER')?.args;
    assert.ok(user && !/^(root|0)(:|$)/.test(user), `runs as ${user ?? 'root'}`);
    const volume = words(last('VOLUME')!.args.replace(/[[\]",]/g, ' '));
    assert.deepEqual(volume, [env.SUQIU_DATA_DIR], 'the data folder is the volume');
    // The volume is created and handed to the user before VOLUME: Docker discards later changes to it.
    const chown = final.findIndex((i) => i.name === 'RUN' && i.args.includes(`chown ${user}`) && i.args.includes(env.SUQIU_DATA_DIR!));
    assert.ok(chown >= 0 && chown < final.indexOf(last('VOLUME')!));
  });

  test('EXPOSE is the port the server listens on with the image’s settings', () => {
    const port = loadConfig({ ...env, SUQIU_DATA_DIR: tmpdir() }).port;
    assert.equal(port, 3000);
    assert.deepEqual(words(last('EXPOSE')!.args), [String(port)]);
    assert.ok(!last('STOPSIGNAL') || last('STOPSIGNAL')!.args === 'SIGTERM', 'docker stop sends SIGTERM, which the server handles');
  });

  test('started as the image says (its COPYs, WORKDIR, ENV and CMD), the HEALTHCHECK passes once it listens, it gets ready, and stops cleanly on SIGTERM', async () => {
    const work = mkdtempSync(join(tmpdir(), 'suqiu-image-'));
    let server: Started | undefined;
    try {
      const workdir = last('WORKDIR')!.args;
      const buildWorkdir = build.filter((i) => i.name === 'WORKDIR').at(-1)!.args;
      const app = join(work, 'app');
      const volume = join(work, 'volume');
      mkdirSync(volume);
      for (const copy of final.filter((i) => i.name === 'COPY')) {
        const parts = words(copy.args);
        assert.equal(parts[0], '--from=build', `COPY ${copy.args}: from the build stage`);
        const [source, target] = [parts[1]!, parts[2]!];
        const from = posix.relative(buildWorkdir, posix.resolve(buildWorkdir, source));
        const to = posix.relative(workdir, posix.resolve(workdir, target));
        assert.ok(!from.startsWith('..') && !to.startsWith('..'), `COPY ${copy.args} stays in the workdirs`);
        install(from, join(app, to));
      }
      // The demo city's knowledge base where dist/server/modules/demo/knowledge.js looks for it (../../../../demo/knowledge).
      assert.ok(existsSync(join(app, 'demo/knowledge')), 'demo/knowledge is in the image');
      const port = await freePort();
      // The container's environment: its ENV only, the volume a folder of the test's, a free port for 3000,
      // and `-e SUQIU_SEED_DEMO=false` as the Dockerfile's own example runs it (test/start.test.ts loads the demo city).
      const containerEnv = { ...BASE_ENV, HOME: volume, ...env, SUQIU_DATA_DIR: volume, PORT: String(port), SUQIU_SEED_DEMO: 'false' };
      assert.ok(!last('ENTRYPOINT'), 'CMD alone starts the server');
      const cmd = command(last('CMD')!.args);
      assert.deepEqual(cmd, ['node', 'dist/server/main.js']);
      server = run(cmd, { cwd: app, env: containerEnv, port });

      const healthcheck = last('HEALTHCHECK')!.args;
      const probe = command(healthcheck.slice(healthcheck.indexOf('CMD ') + 4).trim());
      const timeoutMs = seconds(/--timeout=(\S+)/.exec(healthcheck)?.[1] ?? '30s') * 1000;
      const check = () => spawnSync(probe[0]!, probe.slice(1), { cwd: app, env: containerEnv, timeout: timeoutMs, encoding: 'utf8' });
      assert.ok(probe.join(' ').includes('/healthz'), 'alive, not ready: a first start is healthy while it migrates');

      await server.alive();
      assert.equal(check().status, 0, 'HEALTHCHECK while starting');
      await server.ready();
      assert.equal(check().status, 0, 'HEALTHCHECK when ready');
      assert.ok(existsSync(join(volume, 'suqiu.db')), 'the database is on the volume');

      // docker stop: SIGTERM, then SIGKILL after 10 s.
      assert.deepEqual(await server.stop(10_000), { code: 0, signal: null }, server.output());
      assert.notEqual(check().status, 0, 'HEALTHCHECK fails once the server is gone');
    } finally {
      server?.kill();
      rmSync(work, { recursive: true, force: true });
    }
  });

  const docker = spawnSync('docker', ['info'], { encoding: 'utf8', timeout: 10_000 });
  const noDocker =
    docker.error || docker.status !== 0
      ? `no Docker engine answers here (docker info: ${(docker.error?.message ?? docker.stderr).trim().split('\n').at(-1)})`
      : false;

  test('a Docker engine builds the image, runs it until ready and stops it with exit code 0', { skip: noDocker, timeout: 15 * 60_000 }, async () => {
    const tag = `suqiu-deploy-test:${process.pid}`;
    const built = spawnSync('docker', ['build', '-t', tag, '.'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(built.status, 0, built.stderr);
    const port = await freePort();
    const started = spawnSync('docker', ['run', '-d', '-p', `127.0.0.1:${port}:3000`, '-e', 'SUQIU_SEED_DEMO=false', tag], { encoding: 'utf8' });
    assert.equal(started.status, 0, started.stderr);
    const id = started.stdout.trim();
    try {
      const deadline = Date.now() + 60_000;
      while (
        (await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.status,
          () => 0,
        )) !== 200
      ) {
        assert.ok(Date.now() < deadline, spawnSync('docker', ['logs', id], { encoding: 'utf8' }).stdout);
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(spawnSync('docker', ['stop', '-t', '10', id]).status, 0);
      assert.equal(spawnSync('docker', ['inspect', '-f', '{{.State.ExitCode}}', id], { encoding: 'utf8' }).stdout.trim(), '0');
    } finally {
      spawnSync('docker', ['rm', '-f', id]);
      spawnSync('docker', ['rmi', tag]);
    }
  });
});
