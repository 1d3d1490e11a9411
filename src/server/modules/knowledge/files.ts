// What the knowledge base accepts as an attachment (相关文件), decided from the
// file's own bytes and checked against its name: PDF, Word, Excel and images.
// The browser's content type is not trusted, and nothing that a browser would
// run (HTML, SVG) is accepted.

export interface FileKind {
  contentType: string;
  /** The extensions a file of this kind may have, lower case, without the dot. */
  extensions: readonly string[];
  /** Shown in the browser (PDF, images) or downloaded (Word, Excel). */
  inline: boolean;
  label: string;
}

const PDF: FileKind = { contentType: 'application/pdf', extensions: ['pdf'], inline: true, label: 'PDF' };
const PNG: FileKind = { contentType: 'image/png', extensions: ['png'], inline: true, label: 'PNG' };
const JPEG: FileKind = { contentType: 'image/jpeg', extensions: ['jpg', 'jpeg'], inline: true, label: 'JPEG' };
const GIF: FileKind = { contentType: 'image/gif', extensions: ['gif'], inline: true, label: 'GIF' };
const WEBP: FileKind = { contentType: 'image/webp', extensions: ['webp'], inline: true, label: 'WebP' };
const DOC: FileKind = { contentType: 'application/msword', extensions: ['doc'], inline: false, label: 'Word (.doc)' };
const XLS: FileKind = { contentType: 'application/vnd.ms-excel', extensions: ['xls'], inline: false, label: 'Excel (.xls)' };
const DOCX: FileKind = {
  contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  extensions: ['docx'],
  inline: false,
  label: 'Word (.docx)',
};
const XLSX: FileKind = {
  contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  extensions: ['xlsx'],
  inline: false,
  label: 'Excel (.xlsx)',
};

export const ACCEPTED = 'PDF, Word (.doc, .docx), Excel (.xls, .xlsx) and images (PNG, JPEG, GIF, WebP)';
export const ACCEPTED_EXTENSIONS = [PDF, PNG, JPEG, GIF, WEBP, DOC, XLS, DOCX, XLSX].flatMap((k) => k.extensions);

const starts = (bytes: Uint8Array, signature: readonly number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The kind of file the bytes are, by their signature; an Office zip by the folder its parts are in. */
export function sniff(bytes: Uint8Array): FileKind | null {
  if (starts(bytes, ascii('%PDF-'))) return PDF;
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (starts(bytes, [0xff, 0xd8, 0xff])) return JPEG;
  if (starts(bytes, ascii('GIF87a')) || starts(bytes, ascii('GIF89a'))) return GIF;
  if (starts(bytes, ascii('RIFF')) && starts(bytes, ascii('WEBP'), 8)) return WEBP;
  if (starts(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return DOC; // the OLE container of .doc and .xls: told apart by the name
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // An Office Open XML file is a zip whose part names say what it is.
    // The first entries' names are at the start, the central directory at the end.
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const text = buffer.subarray(0, 65_536).toString('latin1') + buffer.subarray(Math.max(0, buffer.length - 65_536)).toString('latin1');
    if (text.includes('word/')) return DOCX;
    if (text.includes('xl/')) return XLSX;
  }
  return null;
}

/** The name as it will be shown: no folders, no control characters, at most 255 characters (the extension kept). */
export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  if (clean.length <= 255) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 ? clean.slice(dot) : '';
  return clean.slice(0, 255 - ext.length) + ext;
}

export const extensionOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};

/** What the file is, or why it is refused (an unknown kind, or a name that says another kind). */
export function classify(name: string, bytes: Uint8Array): { kind: FileKind } | { refused: string } {
  const ext = extensionOf(name);
  if (!ACCEPTED_EXTENSIONS.includes(ext)) return { refused: `"${name}" is not an accepted kind of file: ${ACCEPTED} are` };
  let kind = sniff(bytes);
  if (kind === DOC && ext === 'xls') kind = XLS;
  if (!kind) return { refused: `the content of "${name}" is not a ${ext.toUpperCase()} file: ${ACCEPTED} are accepted` };
  if (!kind.extensions.includes(ext)) return { refused: `"${name}" is named .${ext} but its content is ${kind.label}` };
  return { kind };
}

/** Content-Disposition for a download: the Chinese name kept (RFC 6266's filename*), an ASCII stand-in for old clients. */
export function contentDisposition(name: string, inline: boolean): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

export function kindOf(contentType: string): FileKind | undefined {
  return [PDF, PNG, JPEG, GIF, WEBP, DOC, XLS, DOCX, XLSX].find((k) => k.contentType === contentType);
}
