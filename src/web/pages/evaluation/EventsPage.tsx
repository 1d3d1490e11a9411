import { PlusOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Empty, Flex, Form, Input, Radio, Table, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { EVALUATION_EVENT_KINDS, type EvaluationEventKind } from '../../../shared/codes.js';
import { listUnits, type Unit } from '../../api/client.js';
import { listEvaluationEvents, recordEvaluationEvent, type EvaluationEvent } from '../../api/evaluation.js';
import { FormModal } from '../../components/FormModal.js';
import { LoadError } from '../../components/StatusPages.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { todayIn } from '../../i18n/time.js';
import { EventKindTag, useCompanyTime, useCodeWord, useLoopRights } from './labels.js';
import { PeriodPicker, usePeriod } from './period.js';

interface Values {
  unitId: number;
  kind: EvaluationEventKind;
  occurredOn: Dayjs;
  description: string;
}

/** Only departments and county bureaus are evaluated, so only they take events. */
const evaluated = (u: Unit) => u.active && (u.kind === 'department' || u.kind === 'county');

function EventModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { t, timeZone } = useI18n();
  const word = useCodeWord();
  const [form] = Form.useForm<Values>();
  // Loaded once, not per opening: a closing dialog must still name the unit it shows, never its id.
  const units = useLoad(listUnits);
  const today = todayIn(timeZone);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ occurredOn: dayjs(today) });
  }, [open, form, today]);
  const submit = async (v: Values) => {
    await recordEvaluationEvent({ unitId: v.unitId, kind: v.kind, occurredOn: v.occurredOn.format('YYYY-MM-DD'), description: v.description.trim() });
    onDone();
  };
  const required = { required: true, message: t('common.required') };
  return (
    <FormModal
      form={form}
      open={open}
      title={t('loop.event.record')}
      onCancel={onClose}
      onSubmit={submit}
      testId="event-form"
      intro={<Typography.Paragraph type="secondary">{t('loop.event.recordHint')}</Typography.Paragraph>}
    >
      <Form.Item name="unitId" label={t('loop.event.unit')} rules={[required]} extra={t('loop.event.unitHint')}>
        <UnitTreeSelect units={units.data ?? []} selectable={evaluated} style={{ width: '100%' }} data-testid="event-unit" />
      </Form.Item>
      <Form.Item name="kind" label={t('loop.event.kind')} rules={[required]}>
        <Radio.Group data-testid="event-kind">
          {EVALUATION_EVENT_KINDS.map((k) => (
            <Radio key={k} value={k} data-testid={`event-kind-${k}`}>
              {word('loop.evaluation.event.kind', k)}（{t(`loop.event.points.${k}`)}）
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item name="occurredOn" label={t('loop.event.occurredOn')} rules={[required]}>
        <DatePicker format="YYYY-MM-DD" disabledDate={(d) => d.format('YYYY-MM-DD') > today} data-testid="event-date" />
      </Form.Item>
      <Form.Item name="description" label={t('loop.event.description')} rules={[{ ...required, whitespace: true }]}>
        <Input.TextArea rows={3} maxLength={2000} showCount data-testid="event-description" />
      </Form.Item>
    </FormModal>
  );
}

/** 加减分事项: the service events, criticisms and praises the centre enters; each counts in the period of its date. */
export default function EventsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const time = useCompanyTime();
  const rights = useLoopRights();
  const [period, setPeriod] = usePeriod();
  const events = useLoad(() => listEvaluationEvents({ from: period.from, to: period.to }), `${period.from}:${period.to}`);
  const [open, setOpen] = useState(false);
  const columns: TableColumnsType<EvaluationEvent> = [
    { title: t('loop.event.occurredOn'), dataIndex: 'occurredOn', width: 120 },
    { title: t('loop.event.unit'), dataIndex: 'unitName', width: 160 },
    { title: t('loop.event.kind'), key: 'kind', width: 140, render: (_, e) => <EventKindTag kind={e.kind} /> },
    { title: t('loop.event.description'), key: 'description', render: (_, e) => <span style={{ whiteSpace: 'pre-wrap' }}>{e.description}</span> },
    { title: t('loop.event.enteredBy'), key: 'by', width: 200, render: (_, e) => `${e.createdByName} · ${time.dateTime(e.createdAt)}` },
  ];
  return (
    <Flex vertical gap={12} data-testid="events-page">
      <Flex justify="space-between" wrap gap={8}>
        <PeriodPicker period={period} onChange={setPeriod} />
        {rights.manageEvaluation && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="event-record">
            {t('loop.event.record')}
          </Button>
        )}
      </Flex>
      {events.error && !events.data ? (
        <LoadError error={events.error} onRetry={events.reload} />
      ) : (
        <Table<EvaluationEvent>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={events.data ?? []}
          loading={events.loading}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('loop.event.none')} /> }}
          onRow={(e) => ({ 'data-testid': 'event-row', 'data-kind': e.kind }) as never}
        />
      )}
      <EventModal
        open={open}
        onClose={() => setOpen(false)}
        onDone={() => {
          setOpen(false);
          void message.success(t('loop.event.recorded'));
          events.reload();
        }}
      />
    </Flex>
  );
}
