import type ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { claimedSize, joinSheets, type ReadLimits, type Sheet, type SheetPieces } from './xlsx-read.js';
import { megabytes, NOT_A_WORKBOOK } from './xlsx-zip.js';

export { cellText, type CellValue, type DateCell, type ErrorCell, type LinkCell } from './xlsx-cells.js';
export type { ReadLimits, Sheet, SheetRow } from './xlsx-read.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends a workbook as a download: an ASCII file name for old clients and the Chinese one (RFC 6266 `filename*`). */
export function sendWorkbook(reply: FastifyReply, book: Buffer, asciiName: string, name: string): FastifyReply {
  return reply
    .header('content-type', XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .send(book);
}

// ── writing ────────────────────────────────────────────────────────────────

/**
 * What one cell may hold, in characters (UTF-16 code units), by the xlsx
 * format's own limit: Excel refuses to open a longer cell's text and
 * LibreOffice cuts it without a word, so a knowledge export read back there
 * lost its FAQs (issue 13).
 */
export const CELL_MAX_CHARS = 32_767;

/** The end of a text cut at `max`, never between the two halves of a character outside the BMP (an emoji, a rare 汉字). */
const cutAt = (text: string, max: number) => {
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
};

/**
 * Parts (paragraphs, FAQ pairs) packed into as few cells as hold them: each
 * cell the parts joined by `separator`, so the cells joined by `separator`
 * are the text again. A part longer than a cell by itself (no separator in
 * 32,767 characters) is cut, and reads back with a separator where it was cut.
 */
export function packCells(parts: readonly string[], separator: string, max = CELL_MAX_CHARS): string[] {
  const cells: string[] = [];
  let current: string | null = null;
  for (const part of parts) {
    let rest = part;
    do {
      const end = rest.length > max ? cutAt(rest, max) : rest.length;
      const piece = rest.slice(0, end);
      rest = rest.slice(end);
      if (current !== null && current.length + separator.length + piece.length <= max) current += separator + piece;
      else {
        if (current !== null) cells.push(current);
        current = piece;
      }
    } while (rest.length > 0);
  }
  if (current !== null) cells.push(current);
  return cells.length > 0 ? cells : [''];
}

/** A cell the workbook could not hold whole: where it is and how long its text was. */
export interface CutCell {
  sheet: string;
  cell: string;
  length: number;
}

const textOf = (value: ExcelJS.CellValue): string | null => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'richText' in value) return value.richText.map((r) => r.text).join('');
  if (value && typeof value === 'object' && 'hyperlink' in value && typeof value.text === 'string') return value.text;
  return null;
};

/**
 * Every text cell of the workbook made to fit Excel's limit: a longer text
 * is cut, and the cut says so in the cell, in the words a reader of the
 * report understands, so that no one takes it for the whole. Writers whose
 * cells must read back whole (the knowledge export) spread them over cells
 * first (packCells); this is the guard behind every writer.
 */
export function fitCells(book: ExcelJS.Workbook, max = CELL_MAX_CHARS): CutCell[] {
  const cut: CutCell[] = [];
  for (const sheet of book.worksheets) {
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        const text = textOf(cell.value);
        if (text === null || text.length <= max) return;
        const note = `\n……（此处截断：全文 ${text.length.toLocaleString('en-US')} 字，超出 Excel 单元格上限 ${max.toLocaleString('en-US')} 字，请在系统中查看全文）`;
        cell.value = text.slice(0, cutAt(text, max - note.length)) + note;
        cut.push({ sheet: sheet.name, cell: cell.address, length: text.length });
      }),
    );
  }
  return cut;
}

/** The workbook's bytes, every cell within Excel's limit (fitCells): what every writer sends. */
export async function workbookBytes(book: ExcelJS.Workbook): Promise<Buffer> {
  fitCells(book);
  return Buffer.from(await book.xlsx.writeBuffer());
}

// ── reading ────────────────────────────────────────────────────────────────

export interface ReadOptions extends Partial<ReadLimits> {
  /** How long the reading may take, in milliseconds: then its worker is stopped. */
  timeoutMs?: number;
  /** The worker's JavaScript heap, in MB (its resourceLimits): past it the worker is stopped. */
  memoryMb?: number;
}

/**
 * What an import reads unless it says otherwise: generous for a sheet a
 * person fills in, far below what stalls the server. An import that needs
 * more (a month's consumption for every account) raises its own.
 */
export const READ_DEFAULTS: Required<ReadOptions> = {
  maxUnpackedBytes: 100 * 1024 * 1024,
  maxSharedStrings: 1_000_000,
  maxRows: 200_000,
  maxCells: 2_000_000,
  maxColumns: 256,
  maxSheets: 50,
  purpose: 'an import reads',
  timeoutMs: 20_000,
  memoryMb: 512,
};

/** A workbook's sheets, or why it is refused: a sentence to follow its file name (`kb.xlsx: unpacks to more than 200 MB`). */
export type WorkbookRead = { sheets: Sheet[] } | { refused: string };

/** At most this many workbooks are read at once (each in its own worker); the rest wait their turn. */
const MAX_READERS = 2;
let readers = 0;
const waiting: (() => void)[] = [];

/**
 * Reads an uploaded workbook in a worker thread, under limits: the request's
 * event loop never parses it (a 381 KB workbook of 9 million shared strings
 * held every request for 7.8 s), a workbook that takes too long or too much
 * memory is stopped with its worker, and the worker's memory goes back when
 * it ends. The zip directory's claim is checked here first, which costs
 * nothing; the bytes actually unpacked are counted in the worker.
 */
export async function readWorkbook(bytes: Uint8Array, options: ReadOptions = {}): Promise<WorkbookRead> {
  const o = { ...READ_DEFAULTS, ...options };
  const claimed = claimedSize(bytes);
  if (claimed === null) return { refused: NOT_A_WORKBOOK };
  if (claimed > o.maxUnpackedBytes) return { refused: `unpacks to ${megabytes(claimed)}, more than ${o.purpose} (${megabytes(o.maxUnpackedBytes)})` };
  if (readers < MAX_READERS) readers++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await inWorker(bytes, o);
  } finally {
    const next = waiting.shift();
    if (next) next();
    else readers--;
  }
}

function inWorker(bytes: Uint8Array, o: Required<ReadOptions>): Promise<WorkbookRead> {
  // A copy of its own goes to the worker (moved, not copied again): the caller's buffer may be a slice of a larger one.
  const copy = new Uint8Array(bytes);
  const { timeoutMs, memoryMb, ...limits } = o;
  const worker = startWorker({ workerData: { bytes: copy, limits }, transferList: [copy.buffer], resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: WorkbookRead) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => done({ refused: `took longer than ${timeoutMs / 1000} s to read, and was stopped` }), timeoutMs);
    worker.on('message', (message: { sheets: SheetPieces[] } | { refused: string }) =>
      done('sheets' in message ? { sheets: joinSheets(message.sheets) } : message),
    );
    worker.on('error', (error: Error & { code?: string }) =>
      done({
        refused:
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `needs more than ${memoryMb} MB of memory to read, and was stopped`
            : `${NOT_A_WORKBOOK}: ${error.message}`,
      }),
    );
    worker.on('exit', (code) => done({ refused: `${NOT_A_WORKBOOK}: its reader stopped (${code})` }));
  });
}

/**
 * The worker, in whichever form this code runs: compiled (`npm start` runs
 * dist/), the worker is the .js beside this file; under tsx (the tests, the
 * command line, `npm run dev`) it is the .ts, and on Node 20 a worker does
 * not inherit tsx's loader, so it registers it before importing the reader.
 */
function startWorker(options: WorkerOptions): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./xlsx-worker.js', here), options);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./xlsx-worker.ts', here).href);
  return new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${entry}); })`, { ...options, eval: true, execArgv: [] });
}
