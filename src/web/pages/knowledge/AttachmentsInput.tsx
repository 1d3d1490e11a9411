import { UploadOutlined } from '@ant-design/icons';
import { Button, Typography, Upload, type UploadFile } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { articleFileUrl, uploadArticleFile, type ArticleFile } from '../../api/knowledge.js';
import { useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';
import { ATTACHMENT_ACCEPT, fileSize } from './files.js';

/**
 * 相关文件's files: each uploaded as soon as it is picked, listed in order with
 * its size, removable. The value is the uploaded files; one that the server
 * refused stays in the list, marked with what it said, until it is removed.
 */
export function AttachmentsInput({
  value = [],
  onChange,
  onBusy,
}: {
  value?: ArticleFile[];
  onChange?: (files: ArticleFile[]) => void;
  onBusy?: (busy: boolean) => void;
}) {
  const { t } = useI18n();
  const report = useReportError();
  const [pending, setPending] = useState<UploadFile[]>([]);
  // An upload that ends adds itself to the list as it is then, not as it was when the file was picked.
  const latest = useRef(value);
  useEffect(() => {
    latest.current = value;
  }, [value]);
  // Removed while still uploading: not added when the upload ends.
  const dropped = useRef(new Set<string>());
  // One upload after another, so that the files are listed in the order they were picked.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const busy = pending.some((f) => f.status === 'uploading');
  useEffect(() => onBusy?.(busy), [busy, onBusy]);
  const change = (files: ArticleFile[]) => {
    latest.current = files;
    onChange?.(files);
  };
  const fileList: UploadFile[] = [
    ...value.map((f): UploadFile => ({ uid: String(f.id), name: f.name, status: 'done', url: articleFileUrl(f.id), size: f.size })),
    ...pending,
  ];
  return (
    <div data-testid="article-form-attachments">
      <Upload
        multiple
        accept={ATTACHMENT_ACCEPT}
        fileList={fileList}
        showUploadList={{ extra: (file) => (file.size === undefined ? null : <Typography.Text type="secondary"> {fileSize(file.size)}</Typography.Text>) }}
        customRequest={({ file, onSuccess, onError }) => {
          const picked = file as File & { uid: string };
          setPending((list) => [...list, { uid: picked.uid, name: picked.name, size: picked.size, status: 'uploading' }]);
          const upload = queue.current.then(() => (dropped.current.has(picked.uid) ? Promise.reject(new Error('removed')) : uploadArticleFile(picked)));
          queue.current = upload.catch(() => undefined);
          upload.then(
            (saved) => {
              setPending((list) => list.filter((f) => f.uid !== picked.uid));
              if (!dropped.current.delete(picked.uid)) change([...latest.current, saved]);
              onSuccess?.(saved);
            },
            (err: unknown) => {
              const said = err instanceof Error ? err.message : String(err);
              setPending((list) => list.map((f) => (f.uid === picked.uid ? { ...f, status: 'error', response: said } : f)));
              if (!dropped.current.delete(picked.uid)) report(err);
              onError?.(err instanceof Error ? err : new Error(said));
            },
          );
        }}
        onRemove={(file) => {
          const waiting = pending.find((f) => f.uid === file.uid);
          if (waiting) {
            if (waiting.status === 'uploading') dropped.current.add(file.uid);
            setPending((list) => list.filter((f) => f.uid !== file.uid));
          } else change(latest.current.filter((f) => String(f.id) !== file.uid));
        }}
      >
        <Button icon={<UploadOutlined />}>{t('article.attach')}</Button>
      </Upload>
    </div>
  );
}
