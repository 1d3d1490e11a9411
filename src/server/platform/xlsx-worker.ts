import { parentPort, workerData } from 'node:worker_threads';
import { readSheets, type ReadLimits } from './xlsx-read.js';
import { NOT_A_WORKBOOK, WorkbookRefusal } from './xlsx-zip.js';

// A workbook read in a thread of its own (platform/xlsx.ts readWorkbook): the
// request's event loop goes on while it is parsed, and the thread, with
// everything it held, ends when the answer is sent.

const { bytes, limits } = workerData as { bytes: Uint8Array; limits: ReadLimits };

try {
  parentPort?.postMessage({ sheets: await readSheets(bytes, limits) });
} catch (error) {
  parentPort?.postMessage({ refused: error instanceof WorkbookRefusal ? error.message : `${NOT_A_WORKBOOK}: ${(error as Error).message}` });
}
