import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, cleanFileName, contentDisposition, sniff } from './files.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

test('a file is known by its first bytes, an Office zip by the folder of its parts', () => {
  assert.equal(sniff(bytes('%PDF-1.7\n'))?.contentType, 'application/pdf');
  assert.equal(sniff(bytes([0xff, 0xd8, 0xff, 0xe0]))?.contentType, 'image/jpeg');
  assert.equal(sniff(bytes('GIF89a'))?.contentType, 'image/gif');
  assert.equal(sniff(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))?.contentType, 'image/webp');
  assert.equal(sniff(bytes([0x50, 0x4b, 0x03, 0x04], '....[Content_Types].xml....word/document.xml'))?.label, 'Word (.docx)');
  assert.equal(sniff(bytes([0x50, 0x4b, 0x03, 0x04], '....xl/workbook.xml'))?.label, 'Excel (.xlsx)');
  assert.equal(sniff(bytes([0x50, 0x4b, 0x03, 0x04], '....mimetypeapplication/epub'))?.label, undefined, 'another zip is not accepted');
  assert.equal(sniff(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
});

test('the name must agree with the content; .doc and .xls share a container and are told apart by the name', () => {
  const ole = bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  assert.deepEqual(classify('旧规定.doc', ole), { kind: sniff(ole) });
  const xls = classify('收费表.XLS', ole);
  assert.ok('kind' in xls && xls.kind.contentType === 'application/vnd.ms-excel');
  assert.deepEqual(classify('照片.jpg', bytes('%PDF-1.4')), { refused: '"照片.jpg" is named .jpg but its content is PDF' });
  assert.ok('refused' in classify('页面.html', bytes('<html>')));
  assert.ok('refused' in classify('无扩展名', bytes('%PDF-1.4')));
});

test('names: no folders or control characters, the extension kept when shortened; downloads keep the Chinese name', () => {
  assert.equal(cleanFileName('../../etc/passwd'), 'passwd');
  assert.equal(cleanFileName('C:\\文件\\规则"\n.pdf'), '规则.pdf');
  const long = cleanFileName('长'.repeat(300) + '.pdf');
  assert.equal(long.length, 255);
  assert.ok(long.endsWith('.pdf'));
  assert.equal(
    contentDisposition("供电(2024)'规则'.pdf", false),
    `attachment; filename="__(2024)'__'.pdf"; filename*=UTF-8''%E4%BE%9B%E7%94%B5%282024%29%27%E8%A7%84%E5%88%99%27.pdf`,
  );
});
