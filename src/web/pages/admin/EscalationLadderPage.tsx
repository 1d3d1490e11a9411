import { ReloadOutlined } from '@ant-design/icons';
import { ladderIssue } from '../../../shared/ladder.js';
import { Alert, App, Button, Card, Flex, Form, InputNumber, Space, Steps, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../api/client.js';
import { getEscalationLadder, setEscalationLadder, type LadderRungs } from '../../api/settings.js';
import { useReportError } from '../../components/errors.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { LevelTag, useDemandLabels } from '../demands/labels.js';
import { LEVEL_COLORS } from '../supervision/words.js';

// 升级规则: the call of a case at which each level of the escalation ladder is
// reached (DESIGN.md, "Repeated demand"). The server judges the ladder; a
// refusal (levels not at later and later calls) is shown as it said it, in words.

const LEVELS = [1, 2, 3] as const;
type Values = Record<`level${(typeof LEVELS)[number]}`, number | null>;

const toValues = (rungs: readonly { level: number; calls: number }[]): Values => ({
  level1: rungs.find((r) => r.level === 1)?.calls ?? null,
  level2: rungs.find((r) => r.level === 2)?.calls ?? null,
  level3: rungs.find((r) => r.level === 3)?.calls ?? null,
});

interface Refusal {
  text: string;
  /** The levels the reason names, marked on the form. */
  levels: readonly number[];
}

/**
 * Why the server refused the ladder, in the user's words: the same rule it
 * applies (src/shared/ladder.ts ladderIssue) read on the rungs sent, never its
 * English text; a refusal that rule does not explain is shown as it came.
 */
function useLadderRefusal(): (err: ApiError, rungs: readonly { level: number; calls: number }[]) => Refusal {
  const { t } = useI18n();
  return (err, rungs) => {
    const issue = ladderIssue(rungs);
    if (issue?.kind === 'order')
      return { text: t('ladder.reason.order', { level: issue.level, previous: issue.previous }), levels: [issue.level, issue.previous] };
    if (issue?.kind === 'first') return { text: t('ladder.reason.first'), levels: [1] };
    return { text: err.issues?.[0]?.message ?? err.message, levels: LEVELS };
  };
}

/** The calls 1..n with the levels they reach, so that the admin sees the ladder as a customer would climb it. */
function LadderPreview({ values }: { values: Partial<Values> }) {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const rungs = LEVELS.map((level) => ({ level, calls: values[`level${level}`] })).filter(
    (r): r is { level: 1 | 2 | 3; calls: number } => typeof r.calls === 'number',
  );
  const last = Math.max(3, ...rungs.map((r) => r.calls));
  if (last > 15) return null;
  const calls = Array.from({ length: last }, (_, i) => i + 1);
  return (
    <Steps
      size="small"
      titlePlacement="vertical"
      current={-1}
      data-testid="ladder-preview"
      items={calls.map((n) => {
        const reached = rungs.filter((r) => r.calls === n);
        const top = reached.at(-1);
        if (!top) return { title: t('ladder.call', { n }), status: 'wait' as const };
        const color = LEVEL_COLORS[top.level];
        return {
          title: <span style={{ color, fontWeight: 500 }}>{t('ladder.call', { n })}</span>,
          status: 'process' as const,
          icon: (
            <span
              style={{
                display: 'inline-flex',
                width: 24,
                height: 24,
                borderRadius: 12,
                background: color,
                color: '#fff',
                alignItems: 'center',
                justifyContent: 'center',
                fontSize: 13,
              }}
            >
              {n}
            </span>
          ),
          content: <span style={{ color }}>{reached.map((r) => labels.level(r.level)).join(' · ')}</span>,
        };
      })}
    />
  );
}

export default function EscalationLadderPage() {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const { message } = App.useApp();
  const report = useReportError();
  const refusalOf = useLadderRefusal();
  const ladder = useLoad(getEscalationLadder);
  const [form] = Form.useForm<Values>();
  const values = Form.useWatch([], form) as Partial<Values> | undefined;
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const saved = useMemo(() => (ladder.data ? toValues(ladder.data.rungs) : null), [ladder.data]);

  useEffect(() => {
    if (saved) form.setFieldsValue(saved);
  }, [saved, form]);

  const submit = async (v: Values) => {
    if (saved && LEVELS.every((level) => v[`level${level}`] === saved[`level${level}`])) {
      void message.info(t('common.noChange'));
      return;
    }
    setSaving(true);
    setRefusal(null);
    const rungs: LadderRungs = LEVELS.map((level) => ({ level, calls: v[`level${level}`]! }));
    try {
      const answer = await setEscalationLadder(rungs);
      form.setFieldsValue(toValues(answer.rungs));
      ladder.reload();
      void message.success(t('ladder.saved'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) setRefusal(refusalOf(err, rungs));
      else report(err);
    } finally {
      setSaving(false);
    }
  };

  if (ladder.error && !ladder.data) return <LoadError error={ladder.error} onRetry={ladder.reload} />;
  const required = { required: true, message: t('common.required') };
  return (
    <Card loading={!ladder.data} style={{ maxWidth: 880 }} data-testid="ladder-card">
      <Typography.Paragraph type="secondary">{t('ladder.intro')}</Typography.Paragraph>
      <Form<Values> form={form} layout="horizontal" onFinish={submit} onValuesChange={() => setRefusal(null)} data-testid="ladder-form" requiredMark={false}>
        {LEVELS.map((level) => (
          <Form.Item
            key={level}
            name={`level${level}`}
            label={
              <Space size={6}>
                <span>{t('ladder.level', { level })}</span>
                <LevelTag level={level} />
              </Space>
            }
            extra={t(`ladder.who.${level}`)}
            rules={[required]}
            labelCol={{ flex: '180px' }}
            colon={false}
            validateStatus={refusal?.levels.includes(level) ? 'error' : undefined}
          >
            <InputNumber
              min={2}
              max={99}
              precision={0}
              prefix={t('ladder.prefix')}
              suffix={t('ladder.suffix')}
              style={{ width: 220 }}
              aria-label={labels.level(level)}
              data-testid={`ladder-calls-${level}`}
            />
          </Form.Item>
        ))}
        {refusal && (
          <Alert type="error" showIcon title={t('ladder.rejected')} description={refusal.text} style={{ marginBottom: 16 }} data-testid="ladder-error" />
        )}
        <Flex vertical gap={8} style={{ marginBottom: 24 }}>
          <Typography.Text strong>{t('ladder.preview')}</Typography.Text>
          <LadderPreview values={values ?? {}} />
        </Flex>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="ladder-save">
            {t('common.save')}
          </Button>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              setRefusal(null);
              if (saved) form.setFieldsValue(saved);
            }}
          >
            {t('ladder.reset')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
