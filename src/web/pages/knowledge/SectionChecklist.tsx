import { CheckCircleFilled, ExclamationCircleOutlined } from '@ant-design/icons';
import { Alert, List, Space, Typography } from 'antd';
import { useCallback } from 'react';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { SECTION_KEYS, type SectionKey } from '../../../shared/sections.js';

const sectionKey = (key: SectionKey) => `article.section.${key}` as MessageKey;

/** The sections' names as one phrase: 坐席提醒、相关文件. */
export function useSectionNames(): (keys: readonly SectionKey[]) => string {
  const { t } = useI18n();
  return useCallback((keys) => keys.map((k) => t(sectionKey(k))).join(t('article.sectionSep')), [t]);
}

/** A section heading's mark: filled, or still to fill before review. */
export function SectionMark({ section, filled }: { section: SectionKey; filled: boolean }) {
  const { t } = useI18n();
  return (
    <span data-testid={`article-form-mark-${section}`} data-filled={filled}>
      {filled ? (
        <CheckCircleFilled style={{ color: '#52c41a' }} aria-label={t('article.sectionFilled')} />
      ) : (
        <Typography.Text type="warning" style={{ fontSize: 12 }}>
          <ExclamationCircleOutlined /> {t('article.sectionEmpty')}
        </Typography.Text>
      )}
    </span>
  );
}

/** The six sections, each filled or not: what stands between a draft and its review. */
export function SectionChecklist({ empty }: { empty: readonly SectionKey[] }) {
  const { t } = useI18n();
  const names = useSectionNames();
  return (
    <div data-testid="article-checklist" data-empty={empty.join(',')}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('article.sectionsRequired')}
      </Typography.Paragraph>
      <List
        size="small"
        dataSource={[...SECTION_KEYS]}
        renderItem={(key) => {
          const filled = !empty.includes(key);
          return (
            <List.Item key={key} data-testid={`article-checklist-${key}`} data-filled={filled} style={{ paddingInline: 0 }}>
              <Space>
                {filled ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <ExclamationCircleOutlined style={{ color: '#faad14' }} />}
                <Typography.Text type={filled ? undefined : 'warning'}>{t(sectionKey(key))}</Typography.Text>
              </Space>
              <Typography.Text type="secondary">{filled ? t('article.sectionFilled') : t('article.sectionEmpty')}</Typography.Text>
            </List.Item>
          );
        }}
      />
      <Alert
        style={{ marginTop: 8 }}
        type={empty.length === 0 ? 'success' : 'warning'}
        showIcon
        title={empty.length === 0 ? t('article.allFilled') : t('article.missing', { sections: names(empty) })}
        data-testid="article-checklist-summary"
      />
    </div>
  );
}
