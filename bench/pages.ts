import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { loadConfig } from '../src/server/config.js';
import { DEMO_PASSWORD, type City } from './dataset.js';
import { line, ms, section, target } from './report.js';
import { startServer } from './server.js';

// The web pages people work in, with the whole history in the database,
// measured in a real browser (Debian's Chromium) against the real server: from
// the navigation (or the click) until the page's data is on screen. Each page
// is loaded once to warm up, then LOADS times; its p50 and max are printed,
// with the slowest API call the page made, and a screenshot of the last load.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LOADS = 5;
/**
 * Our own bar for "usable": every timed load has its data on screen within a
 * second. The issue names no number; a second is where a user starts to notice
 * waiting for a page rather than reading it.
 */
const USABLE_MS = 1000;
/** How long one load may take before it counts as failed. */
const TIMEOUT_MS = 60_000;
const SHOTS = process.env.BENCH_PAGES_DIR ?? '/tmp/suqiu-bench-pages';
/** The live notification channel stays open for the whole visit: not a call a page waits for. */
const STREAM = '/api/notifications/stream';
/** How long no API call may be waiting before a page counts as settled. */
const QUIET_MS = 250;

type User = 'agent' | 'handler' | 'handler.yxb' | 'team_lead';

interface PageCase {
  label: string;
  user: User;
  shot: string;
  /** The table whose rows the report counts; none for a demand's page. */
  table?: string;
  /** One load: whatever comes before it untimed, then the timed part. */
  load(page: Page, base: string): Promise<Timed>;
}

/** A timed load: when it started (this process's clock) and how long it took. */
interface Timed {
  start: number;
  ms: number;
  /** The same on the page's own clock: from the navigation or the click event until the data is drawn (no driver round trips). */
  inPage?: number | undefined;
  /** Of that, how long the page's main thread was held by long tasks (scripts, styles, layout over 50 ms each). */
  busy?: number | undefined;
}

interface ApiCall {
  what: string;
  /** When the browser sent it and had its whole answer, on this process's clock. */
  start: number;
  end: number;
  ms: number;
  /** Time to the first byte of the answer: the server's part, on loopback. */
  ttfb: number;
}

/** The API calls a page makes: each one's time, and the ones still waiting for an answer. */
class ApiWatch {
  readonly pending = new Map<Request, number>();
  calls: ApiCall[] = [];
  /** Answers other than 2xx/3xx, e.g. `500 GET /api/demands?q=停电`. */
  refused: string[] = [];

  constructor(page: Page) {
    page.on('response', (r) => {
      if (isApi(r.request()) && r.status() >= 400) this.refused.push(`${r.status()} ${r.request().method()} ${describe(r.url())}`);
    });
    page.on('request', (r) => {
      if (isApi(r)) this.pending.set(r, performance.now());
    });
    page.on('requestfinished', (r) => this.done(r, ''));
    page.on('requestfailed', (r) => {
      // One the next navigation cancelled is not the server's time.
      if (r.failure()?.errorText === 'net::ERR_ABORTED') this.pending.delete(r);
      else this.done(r, ` (failed: ${r.failure()?.errorText ?? '?'})`);
    });
  }

  private done(r: Request, note: string): void {
    const started = this.pending.get(r);
    if (started === undefined) return;
    this.pending.delete(r);
    const end = performance.now();
    const wall = end - started;
    const t = r.timing();
    const total = t.responseEnd >= 0 ? t.responseEnd : wall;
    const ttfb = t.responseStart >= 0 && t.requestStart >= 0 ? t.responseStart - t.requestStart : total;
    this.calls.push({ what: `${r.method()} ${describe(r.url())}${note}`, start: started, end, ms: total, ttfb });
  }

  /**
   * Waits until every API call the page started has its answer and none has
   * started for a moment, so that each is counted with the page that made it.
   */
  async settle(): Promise<void> {
    const until = performance.now() + TIMEOUT_MS;
    let quietSince = performance.now();
    while (performance.now() < until) {
      if (this.pending.size > 0) quietSince = performance.now();
      else if (performance.now() - quietSince >= QUIET_MS) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  take(): { calls: ApiCall[]; refused: string[] } {
    const taken = { calls: this.calls, refused: this.refused };
    this.calls = [];
    this.refused = [];
    return taken;
  }
}

const describe = (address: string) => {
  const url = new URL(address);
  return `${url.pathname}${decodeURIComponent(url.search)}`;
};

const isApi = (r: Request) => {
  const path = new URL(r.url()).pathname;
  return path.startsWith('/api/') && path !== STREAM;
};

/** The little of the DOM the wait below uses. */
interface Element {
  querySelector(selector: string): Element | null;
  closest(selector: string): Element | null;
  getAttribute(name: string): string | null;
}

/**
 * Until the table with this test id has its data: no spinner over it (antd
 * puts the test id on the inner table, the spinner and the pager around it), and
 * either rows or the empty-state text. `after` (a row's number) is a page
 * that must be gone first, for a click that reloads a table already on screen.
 * Returns the page's clock (performance.now()) at that moment.
 */
async function tableReady(page: Page, testId: string, after?: string): Promise<number> {
  const ready = await page.waitForFunction(
    ([id, previous]) => {
      // Runs in the page; bench/ is typechecked without the DOM library.
      const { document } = globalThis as unknown as { document: Element };
      const table = document.querySelector(`[data-testid="${id}"]`);
      const wrapper = table?.closest('.ant-table-wrapper');
      if (!table || !wrapper || wrapper.querySelector('.ant-spin-spinning')) return false;
      const row = table.querySelector('[data-testid="demand-row"], [data-testid="order-row"]');
      const done = row
        ? previous === undefined || row.getAttribute('data-number') !== previous
        : table.querySelector('.ant-table-placeholder .ant-empty') !== null;
      return done && performance.now();
    },
    [testId, after] as const,
    { timeout: TIMEOUT_MS, polling: 'raf' },
  );
  return (await ready.jsonValue()) as number;
}

/** Until a demand's page shows its demand (the page is drawn once the demand has loaded). */
async function demandReady(page: Page): Promise<number> {
  const ready = await page.waitForFunction(
    () => (globalThis as unknown as { document: Element }).document.querySelector('[data-testid="demand-page"]') !== null && performance.now(),
    undefined,
    { timeout: TIMEOUT_MS, polling: 'raf' },
  );
  return (await ready.jsonValue()) as number;
}

/** What the table shows, for the report: its rows and the pager's total. */
async function shown(page: Page, testId: string): Promise<string> {
  const rows = await page.getByTestId(testId).locator('[data-testid="demand-row"], [data-testid="order-row"]').count();
  const total = await wrapperOf(page, testId)
    .locator('.ant-pagination-total-text')
    .first()
    .textContent({ timeout: 1000 })
    .catch(() => null);
  return `${rows} rows${total ? `, ${total}` : ''}`;
}

/** The antd wrapper around a table: its spinner and its pager. */
const wrapperOf = (page: Page, testId: string) => page.locator(`.ant-table-wrapper:has([data-testid="${testId}"])`);

type BenchWindow = {
  __benchClickAt?: number;
  __benchLongTasks?: [number, number][];
  addEventListener(type: string, listener: () => void, options: object): void;
};

/** Keeps every long task of each page the context opens (the browser's own measure of a main thread too busy to answer). */
async function watchLongTasks(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    // The browser's PerformanceObserver, which knows 'longtask' (Node's types do not).
    type Observer = new (callback: (list: { getEntries(): { startTime: number; duration: number }[] }) => void) => {
      observe(options: { type: string; buffered: boolean }): void;
    };
    const w = globalThis as unknown as BenchWindow & { PerformanceObserver: Observer };
    w.__benchLongTasks = [];
    new w.PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__benchLongTasks!.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** How long, between two moments of the page's clock, long tasks held its main thread. */
const busyBetween = (page: Page, from: number, to: number) =>
  page.evaluate(
    ([a, b]) =>
      ((globalThis as unknown as BenchWindow).__benchLongTasks ?? []).reduce(
        (sum, [start, duration]) => sum + Math.max(0, Math.min(b, start + duration) - Math.max(a, start)),
        0,
      ),
    [from, to] as const,
  );

/** A page opened by its address: from page.goto until its table has its data. */
async function navigate(page: Page, url: string, testId: string): Promise<Timed> {
  const start = performance.now();
  await page.goto(url);
  const readyAt = await tableReady(page, testId);
  const ms = performance.now() - start;
  // The page's clock starts at the navigation.
  return { start, ms, inPage: readyAt, busy: await busyBetween(page, 0, readyAt) };
}

/** A click on a page already open: from the click until `ready` (which gives the page's clock then). */
async function clickThrough(page: Page, click: () => Promise<unknown>, ready: () => Promise<number>): Promise<Timed> {
  await page.evaluate(() => {
    const w = globalThis as unknown as BenchWindow;
    w.__benchClickAt = undefined;
    w.addEventListener('click', () => (w.__benchClickAt ??= performance.now()), { capture: true, once: true });
  });
  const start = performance.now();
  await click();
  const readyAt = await ready();
  const ms = performance.now() - start;
  const clickedAt = await page.evaluate(() => (globalThis as unknown as BenchWindow).__benchClickAt);
  if (clickedAt === undefined) return { start, ms };
  return { start, ms, inPage: readyAt - clickedAt, busy: await busyBetween(page, clickedAt, readyAt) };
}

/** When, into a load, the last API call it waited for had its answer: the rest is the browser's (scripts, rendering). */
const lastAnswer = (load: Timed, calls: ApiCall[]) =>
  Math.max(0, ...calls.filter((c) => c.start >= load.start && c.end <= load.start + load.ms).map((c) => c.end - load.start));

/** The API calls a page made in its timed loads (not in the steps before them). */
const duringLoads = (loads: Timed[], calls: ApiCall[]) => calls.filter((c) => loads.some((l) => c.start >= l.start && c.start <= l.start + l.ms));

/** The agent's list, ready, and the number of its first row. */
async function openList(page: Page, base: string): Promise<string | null> {
  await page.goto(`${base}/demands/list`);
  await tableReady(page, 'demands-table');
  return page.getByTestId('demand-row').first().getAttribute('data-number');
}

/** An answer of GET /api/demands with this query parameter. */
const demandsWith = (page: Page, name: string, value: string) =>
  page.waitForResponse((r) => new URL(r.url()).pathname === '/api/demands' && new URL(r.url()).searchParams.get(name) === value, { timeout: TIMEOUT_MS });

const CASES: PageCase[] = [
  {
    label: 'demand list (agent)',
    user: 'agent',
    shot: 'list-agent',
    table: 'demands-table',
    load: (page, base) => navigate(page, `${base}/demands/list`, 'demands-table'),
  },
  {
    label: 'demand list (handler)',
    user: 'handler',
    shot: 'list-handler',
    table: 'demands-table',
    load: (page, base) => navigate(page, `${base}/demands/list`, 'demands-table'),
  },
  {
    label: 'search 停电 in the demand list (agent)',
    user: 'agent',
    shot: 'search-agent',
    table: 'demands-table',
    async load(page, base) {
      // As the agent does it: the list is open, 停电 typed into the text filter, 查询 clicked.
      await openList(page, base);
      await page.locator('input[data-testid="filter-text"], [data-testid="filter-text"] input').first().fill('停电');
      return clickThrough(
        page,
        () => Promise.all([demandsWith(page, 'q', '停电'), page.getByTestId('filter-apply').click()]),
        () => tableReady(page, 'demands-table'),
      );
    },
  },
  {
    label: "a demand's page, clicked in the list (agent)",
    user: 'agent',
    shot: 'detail-agent',
    async load(page, base) {
      await openList(page, base);
      return clickThrough(
        page,
        () => page.getByTestId('demand-row').first().getByTestId('demand-link').click(),
        () => demandReady(page),
      );
    },
  },
  {
    label: 'second page of the demand list (agent)',
    user: 'agent',
    shot: 'list-page2-agent',
    table: 'demands-table',
    async load(page, base) {
      const first = await openList(page, base);
      return clickThrough(
        page,
        () => Promise.all([demandsWith(page, 'page', '2'), wrapperOf(page, 'demands-table').locator('.ant-pagination-item-2').click()]),
        () => tableReady(page, 'demands-table', first ?? undefined),
      );
    },
  },
  {
    label: 'work-order queue (handler)',
    user: 'handler',
    shot: 'orders-handler',
    table: 'orders-table',
    load: (page, base) => navigate(page, `${base}/demands/orders`, 'orders-table'),
  },
  {
    // The unit with the most open orders: the page shows its first 200, as many as it ever draws.
    label: 'work-order queue, the busiest department (handler.yxb)',
    user: 'handler.yxb',
    shot: 'orders-handler.yxb',
    table: 'orders-table',
    load: (page, base) => navigate(page, `${base}/demands/orders`, 'orders-table'),
  },
  {
    label: 'escalations (team lead)',
    user: 'team_lead',
    shot: 'escalations-team_lead',
    table: 'escalations-table',
    load: (page, base) => navigate(page, `${base}/demands/escalations`, 'escalations-table'),
  },
];

/** Builds the web app when it is missing; says when the build is older than its sources. */
function ensureWebApp(webDir: string): void {
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) {
    line('web app', `${index} missing: building it (npm run -s build:web)`);
    const t0 = performance.now();
    const built = spawnSync('npm', ['run', '-s', 'build:web'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (built.status !== 0 || !existsSync(index)) throw new Error(`npm run build:web failed (${built.error?.message ?? `exit ${built.status}`})`);
    line('  built in', `${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return;
  }
  const builtAt = statSync(index).mtimeMs;
  const newer = ['src/web', 'src/shared'].flatMap((dir) => newerFiles(dir, builtAt));
  line('web app', `${webDir}, built ${new Date(builtAt).toISOString()}`);
  if (newer.length > 0)
    line(
      '  NOTE: older than its sources',
      `${newer.slice(0, 3).join(', ')}${newer.length > 3 ? ` and ${newer.length - 3} more` : ''}; npm run build:web to measure them`,
    );
}

function newerFiles(dir: string, than: number): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile() && statSync(file).mtimeMs > than);
}

async function signIn(browser: Browser, base: string, username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
  await watchLongTasks(context);
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('main-nav').waitFor({ timeout: TIMEOUT_MS });
  return page;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

export async function pagesBenchmark(city: City): Promise<void> {
  section(
    `web pages over ${city.demands} demands, ${city.dialect}: Chromium, from navigation or click until the data is on screen, 1 warm-up + ${LOADS} loads each`,
  );
  if (!existsSync(CHROMIUM)) {
    line('SKIPPED', `${CHROMIUM} not found (apt-get install -y chromium)`);
    target('web pages: Chromium present', 'missing', 'present', false);
    return;
  }
  ensureWebApp(loadConfig({}).webDir);
  const shots = join(SHOTS, `${city.dialect}-${city.demands}`);
  mkdirSync(shots, { recursive: true });

  const server = await startServer(city.database);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const base = `http://127.0.0.1:${server.port}`;
    const desks = new Map<User, { page: Page; api: ApiWatch }>();
    for (const c of CASES) {
      let desk = desks.get(c.user);
      if (!desk) {
        const page = await signIn(browser, base, c.user);
        desk = { page, api: new ApiWatch(page) };
        desks.set(c.user, desk);
      }
      const { page, api } = desk;
      const shot = join(shots, `${c.shot}.png`);
      const errors: string[] = [];
      const onError = (err: Error) => errors.push(err.message);
      page.on('pageerror', onError);
      try {
        await c.load(page, base); // warm-up
        await api.settle();
        api.take();
        const loads: Timed[] = [];
        for (let i = 0; i < LOADS; i++) {
          loads.push(await c.load(page, base));
          await api.settle();
        }
        const taken = api.take();
        const calls = duringLoads(loads, taken.calls);
        const refused = taken.refused;
        const times = loads.map((l) => l.ms).sort((a, b) => a - b);
        const answered = loads.map((l) => lastAnswer(l, calls)).sort((a, b) => a - b);
        const inPage = loads.flatMap((l) => (l.inPage === undefined ? [] : [l.inPage])).sort((a, b) => a - b);
        const busy = loads.flatMap((l) => (l.busy === undefined ? [] : [l.busy])).sort((a, b) => a - b);
        const max = times[times.length - 1]!;
        const slowest = calls.reduce<ApiCall | undefined>((worst, call) => (!worst || call.ms > worst.ms ? call : worst), undefined);
        await page.screenshot({ path: shot, fullPage: true });
        const onScreen = c.table ? await shown(page, c.table) : `demand ${(await page.getByTestId('demand-number').first().textContent()) ?? '?'}`;
        target(c.label, `max ${ms(max)}`, `< ${USABLE_MS} ms`, max < USABLE_MS);
        line('', `p50 ${ms(quantile(times, 0.5))}  (${onScreen})`);
        line(
          '',
          `in the page: p50 ${inPage.length > 0 ? `${ms(quantile(inPage, 0.5))}, max ${ms(inPage[inPage.length - 1]!)}` : '?'}; last API answer at p50 ${ms(quantile(answered, 0.5))}; main thread in long tasks p50 ${busy.length > 0 ? ms(quantile(busy, 0.5)) : '?'}`,
        );
        line('', slowest ? `slowest API call ${ms(slowest.ms)} (server ${ms(slowest.ttfb)}): ${slowest.what}` : 'no API calls');
        if (refused.length > 0) line('', `API answers other than success: ${[...new Set(refused)].join('; ')}`);
      } catch (err) {
        await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
        target(c.label, 'failed', `< ${USABLE_MS} ms`, false);
        line('', (err instanceof Error ? err.message : String(err)).split('\n', 1)[0]!);
        await api.settle();
        api.take();
      } finally {
        page.off('pageerror', onError);
      }
      if (errors.length > 0) line('', `errors in the page: ${[...new Set(errors)].join('; ')}`);
    }
    line('screenshots (the last load of each page)', shots);
  } finally {
    await browser?.close();
    await server.close();
  }
}
