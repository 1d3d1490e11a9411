import { cellText, readWorkbook } from '../../platform/xlsx.js';
import { parseCsv } from '../customers/rules.js';

// The survey file as rows of cell texts: CSV text, or an xlsx workbook's
// first sheet read by the platform's workbook reader (in its worker, within
// limits), as the consumption import reads its file.

export type SurveyTable = { rows: { number: number; cells: string[] }[] } | { refused: string };

export async function surveyTable(body: Buffer | string, contentType: string): Promise<SurveyTable> {
  // A workbook is a zip (it starts with PK); anything else is read as CSV text, whatever type it came with.
  const zip = typeof body !== 'string' && body.length >= 2 && body[0] === 0x50 && body[1] === 0x4b;
  if (!zip || /csv|text\/plain/i.test(contentType)) {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    return { rows: parseCsv(text).map((cells, i) => ({ number: i + 1, cells })) };
  }
  // A survey file has a row per period and unit: the platform's defaults for a sheet a person fills in are ample.
  const read = await readWorkbook(body, { maxSheets: 5, purpose: 'a survey file needs' });
  if ('refused' in read) return { refused: read.refused };
  const sheet = read.sheets[0];
  if (!sheet) return { refused: 'has no worksheet' };
  return { rows: sheet.rows.map((r) => ({ number: r.number, cells: r.cells.map((v) => cellText(v)) })) };
}
