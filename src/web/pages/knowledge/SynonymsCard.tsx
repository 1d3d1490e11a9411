import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Input, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useRef, useState, type HTMLAttributes } from 'react';
import { ApiError } from '../../api/client.js';
import { listSynonyms, saveSynonyms, type Synonym } from '../../api/knowledge.js';
import { useReportError } from '../../components/errors.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { cleanSynonyms, issueRow, PHRASE_MAX, synonymProblems, WORDS_MAX, type SynonymProblem } from './synonyms.js';

type Field = 'phrase' | 'words';
/** A row as edited: `key` stays with it while rows are added and removed above it. */
interface Row extends Synonym {
  key: number;
}
type Shown = Row & { index: number };
type RowErrors = Record<number, Partial<Record<Field, string>>>;

const PAGE_SIZE = 10;

/**
 * 近义词表: what callers say and the articles' words for it, which the search
 * uses (家里没电了 → 停电). Editors change rows, add and remove them and save
 * the whole list; what keeps it from saving is said at the row, by the
 * browser first and by the server after. Reviewers read it.
 */
export function SynonymsCard({ editable }: { editable: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const list = useLoad(listSynonyms);
  const [saved, setSaved] = useState<Synonym[]>([]);
  const [rows, setRows] = useState<Row[]>([]);
  const [errors, setErrors] = useState<RowErrors>({});
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(1);
  const [saving, setSaving] = useState(false);
  const [added, setAdded] = useState<number>();
  const nextKey = useRef(0);

  const show = (items: readonly Synonym[]) => {
    setSaved([...items]);
    setRows(items.map((s) => ({ ...s, key: nextKey.current++ })));
    setErrors({});
  };
  useEffect(() => {
    if (list.data) show(list.data.items);
  }, [list.data]);

  const dirty = JSON.stringify(cleanSynonyms(rows)) !== JSON.stringify(saved);

  /** The problems put on their rows, and the first of them brought on screen. */
  const markRows = (problems: readonly { index: number; field: Field; text: string }[]) => {
    const next: RowErrors = {};
    for (const p of problems) {
      const row = rows[p.index];
      if (row) next[row.key] = { ...next[row.key], [p.field]: p.text };
    }
    setErrors(next);
    setFilter('');
    setPage(Math.floor(Math.min(...problems.map((p) => p.index)) / PAGE_SIZE) + 1);
    void message.error(t('knowledge.synonymsRefused'));
  };
  const problemText = (p: SynonymProblem): string =>
    p.kind === 'required'
      ? t('common.required')
      : p.kind === 'tooLong'
        ? t('knowledge.synonymTooLong', { max: p.max })
        : t('knowledge.synonymTwice', { phrase: rows[p.index]!.phrase.trim(), row: p.otherRow });

  const save = async () => {
    const problems = synonymProblems(rows);
    if (problems.length > 0) return markRows(problems.map((p) => ({ index: p.index, field: p.field, text: problemText(p) })));
    setSaving(true);
    try {
      show((await saveSynonyms(cleanSynonyms(rows))).items);
      void message.success(t('knowledge.synonymsSaved'));
    } catch (err) {
      const issues = err instanceof ApiError ? (err.issues ?? []) : [];
      const atRows = issues.flatMap((i) => {
        const at = issueRow(i.path);
        return at ? [{ ...at, text: i.message }] : [];
      });
      if (atRows.length > 0) markRows(atRows);
      else report(err);
    } finally {
      setSaving(false);
    }
  };
  const change = (key: number, field: Field, value: string) => {
    setRows((all) => all.map((r) => (r.key === key ? { ...r, [field]: value } : r)));
    setErrors((all) => (all[key]?.[field] ? { ...all, [key]: { ...all[key], [field]: undefined } } : all));
  };
  const add = () => {
    const key = nextKey.current++;
    setRows((all) => [{ key, phrase: '', words: '' }, ...all]);
    setAdded(key);
    setFilter('');
    setPage(1);
  };
  const remove = (key: number) => setRows((all) => all.filter((r) => r.key !== key));

  if (list.error && !list.data) return <LoadError error={list.error} onRetry={list.reload} />;
  const needle = filter.trim();
  const shown: Shown[] = rows.map((r, index) => ({ ...r, index })).filter((r) => !needle || r.phrase.includes(needle) || r.words.includes(needle));
  const cell = (r: Shown, field: Field, max: number) => {
    const error = errors[r.key]?.[field];
    return (
      <>
        <Input
          value={r[field]}
          maxLength={max}
          status={error ? 'error' : undefined}
          aria-invalid={error ? true : undefined}
          autoFocus={field === 'phrase' && r.key === added}
          placeholder={field === 'phrase' ? '没电' : '停电'}
          onChange={(e) => change(r.key, field, e.target.value)}
          data-testid={`synonym-${field}`}
        />
        {error && (
          <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="synonym-error">
            {error}
          </Typography.Text>
        )}
      </>
    );
  };
  const columns: TableColumnsType<Shown> = [
    { title: '#', key: 'n', width: 64, render: (_, r) => r.index + 1 },
    { title: t('knowledge.synonymPhrase'), key: 'phrase', width: '36%', render: (_, r) => (editable ? cell(r, 'phrase', PHRASE_MAX) : r.phrase) },
    {
      title: t('knowledge.synonymWords'),
      key: 'words',
      render: (_, r) => (editable ? cell(r, 'words', WORDS_MAX) : r.words.split(' ').map((w) => <Tag key={w}>{w}</Tag>)),
    },
    ...(editable
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, r: Shown) => (
              <Button type="link" danger size="small" icon={<DeleteOutlined />} onClick={() => remove(r.key)} data-testid="synonym-remove">
                {t('knowledge.synonymRemove')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <Card
      size="small"
      title={t('knowledge.synonyms')}
      loading={!list.data && list.loading}
      extra={
        <Space>
          {dirty && <Tag color="orange">{t('knowledge.synonymsDirty')}</Tag>}
          <Typography.Text type="secondary">{t('knowledge.synonymsCount', { count: rows.length })}</Typography.Text>
        </Space>
      }
      data-testid="knowledge-synonyms"
    >
      <Typography.Paragraph type="secondary">
        {t('knowledge.synonymsIntro')} {!editable && t('knowledge.synonymsReadOnly')}
      </Typography.Paragraph>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('knowledge.synonymFilter')}
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
            setPage(1);
          }}
          style={{ width: 240 }}
          data-testid="synonym-filter"
        />
        {editable && (
          <Button icon={<PlusOutlined />} onClick={add} data-testid="synonym-add">
            {t('knowledge.synonymAdd')}
          </Button>
        )}
      </Flex>
      <Table<Shown>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={shown}
        pagination={{ current: page, pageSize: PAGE_SIZE, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
        onRow={(r) => ({ 'data-testid': 'synonym-row', 'data-index': r.index }) as HTMLAttributes<HTMLElement>}
      />
      {editable && (
        <Space style={{ marginTop: 12 }}>
          <Button type="primary" loading={saving} disabled={!dirty} onClick={() => void save()} data-testid="synonyms-save">
            {t('knowledge.synonymsSave')}
          </Button>
          <Button disabled={!dirty || saving} onClick={() => show(saved)} data-testid="synonyms-reset">
            {t('knowledge.synonymsReset')}
          </Button>
        </Space>
      )}
    </Card>
  );
}
