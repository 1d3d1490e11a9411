import { FileExcelOutlined, FileImageOutlined, FileOutlined, FilePdfOutlined, FileWordOutlined } from '@ant-design/icons';

// The files of 相关文件 as the pages show them: an icon for the kind, the size in words.

/** What the upload offers to pick: the kinds the server accepts (it checks the bytes again). */
export const ATTACHMENT_ACCEPT = '.pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.gif,.webp';

/** 532 B, 12.4 KB, 3.1 MB. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function FileIcon({ contentType }: { contentType: string }) {
  if (contentType === 'application/pdf') return <FilePdfOutlined style={{ color: '#cf1322' }} />;
  if (contentType.startsWith('image/')) return <FileImageOutlined style={{ color: '#722ed1' }} />;
  if (contentType === 'application/msword' || contentType.includes('wordprocessingml')) return <FileWordOutlined style={{ color: '#1677ff' }} />;
  if (contentType === 'application/vnd.ms-excel' || contentType.includes('spreadsheetml')) return <FileExcelOutlined style={{ color: '#389e0d' }} />;
  return <FileOutlined />;
}
