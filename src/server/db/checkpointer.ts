import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// SQLite copies the write-ahead log back into the database file (a
// checkpoint) in whichever connection commits past 1,000 pages of log, and a
// checkpoint syncs the disk twice: under load, one registration in a few
// dozen waited many milliseconds for it, and the event loop with it. Here the
// server's connection never checkpoints; a worker thread with a connection of
// its own runs a PASSIVE checkpoint, which never blocks the writer, a few
// times a second. Should the worker die, the server's connection checkpoints
// itself again, as SQLite does by default.

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma('busy_timeout = 1000');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(sqlite: BetterSqlite3.Database, filename: string, intervalMs = 250): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, filename, intervalMs } });
  sqlite.pragma('wal_autocheckpoint = 0');
  // After a checkpoint the log is reused from its start; keep its file from staying at its largest size.
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  let stopping = false;
  let exited = false;
  const fallBack = () => {
    if (!stopping && sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('error', fallBack);
  worker.on('exit', () => {
    exited = true;
    fallBack();
  });
  // A process that exits without closing the database must not wait for the worker: a checkpoint cut short is safe.
  worker.unref();
  return {
    stop() {
      stopping = true;
      if (exited) return Promise.resolve();
      // Held again while it finishes, or a process with nothing else to do would exit under it.
      worker.ref();
      return new Promise((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      });
    },
  };
}
