import type { FastifyReply } from 'fastify';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends a workbook as a download: an ASCII file name for old clients and the Chinese one (RFC 6266 `filename*`). */
export function sendWorkbook(reply: FastifyReply, book: Buffer, asciiName: string, name: string): FastifyReply {
  return reply
    .header('content-type', XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .send(book);
}
