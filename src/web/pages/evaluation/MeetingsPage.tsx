import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Empty, Flex, Form, Input, List, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { fileSuggestion, listMeetings, listSuggestions, openMeeting, type MeetingSummary } from '../../api/evaluation.js';
import { FormModal } from '../../components/FormModal.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { todayIn } from '../../i18n/time.js';
import { useCompanyTime, useLoopRights } from './labels.js';

interface MeetingValues {
  title: string;
  heldOn: Dayjs;
  period: [Dayjs, Dayjs];
}

/** The analyst opens a meeting: its title, the day it is held and the period it looks back on (last month, unless chosen). */
function OpenMeetingModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, timeZone } = useI18n();
  const navigate = useNavigate();
  const [form] = Form.useForm<MeetingValues>();
  const today = dayjs(todayIn(timeZone));
  useEffect(() => {
    if (!open) return;
    const lastMonth = today.subtract(1, 'month').startOf('month');
    form.resetFields();
    form.setFieldsValue({
      title: t('loop.meeting.defaultTitle', { month: lastMonth.month() + 1 }),
      heldOn: today,
      period: [lastMonth, lastMonth.endOf('month')],
    });
  }, [open, form]);
  const submit = async (v: MeetingValues) => {
    const [from, last] = v.period;
    // The period's end is exclusive: the day after the last day chosen.
    const meeting = await openMeeting({
      title: v.title.trim(),
      heldOn: v.heldOn.format('YYYY-MM-DD'),
      from: from.format('YYYY-MM-DD'),
      to: last.add(1, 'day').format('YYYY-MM-DD'),
    });
    onClose();
    navigate(`/evaluation/meetings/${meeting.id}`);
  };
  const required = { required: true, message: t('common.required') };
  return (
    <FormModal
      form={form}
      open={open}
      title={t('loop.meeting.open')}
      onCancel={onClose}
      onSubmit={submit}
      testId="meeting-form"
      intro={<Typography.Paragraph type="secondary">{t('loop.meeting.openHint')}</Typography.Paragraph>}
    >
      <Form.Item name="title" label={t('loop.meeting.title')} rules={[required]}>
        <Input maxLength={200} data-testid="meeting-title" />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item name="heldOn" label={t('loop.meeting.heldOn')} rules={[required]}>
          <DatePicker format="YYYY-MM-DD" data-testid="meeting-held-on" />
        </Form.Item>
        <Form.Item name="period" label={t('loop.meeting.period')} rules={[required]} extra={t('loop.meeting.periodHint')}>
          <DatePicker.RangePicker format="YYYY-MM-DD" disabledDate={(d) => !d.isBefore(today, 'day')} data-testid="meeting-period" />
        </Form.Item>
      </Space>
    </FormModal>
  );
}

function SuggestionModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ text: string }>();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const submit = async (v: { text: string }) => {
    await fileSuggestion({ text: v.text.trim() });
    onDone();
  };
  return (
    <FormModal form={form} open={open} title={t('loop.suggestion.file')} onCancel={onClose} onSubmit={submit} testId="suggestion-form">
      <Form.Item
        name="text"
        label={t('loop.suggestion.text')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        extra={t('loop.suggestion.hint')}
      >
        <Input.TextArea rows={4} maxLength={2000} showCount />
      </Form.Item>
    </FormModal>
  );
}

/** 会商会议: the meetings, newest first; the suggestions waiting for the next one. */
export default function MeetingsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const time = useCompanyTime();
  const rights = useLoopRights();
  const meetings = useLoad(listMeetings);
  const pending = useLoad(() => listSuggestions({ pending: 'true' }));
  const [dialog, setDialog] = useState<'meeting' | 'suggestion' | null>(null);

  const columns: TableColumnsType<MeetingSummary> = [
    {
      title: t('loop.meeting.title'),
      key: 'title',
      render: (_, m) => (
        <Link to={`/evaluation/meetings/${m.id}`} data-testid="meeting-link">
          {m.title}
        </Link>
      ),
    },
    { title: t('loop.meeting.heldOn'), dataIndex: 'heldOn', width: 120 },
    { title: t('loop.meeting.period'), key: 'period', render: (_, m) => `${time.date(m.from)} ~ ${time.lastDay(m.to)}` },
    {
      title: t('loop.meeting.decisions'),
      key: 'decisions',
      render: (_, m) =>
        m.decisions === 0 ? (
          <Typography.Text type="secondary">{t('loop.meeting.noDecisionsYet')}</Typography.Text>
        ) : (
          <Space size={4}>
            <span>{t('loop.meeting.decisionsCount', { count: m.decisions })}</span>
            {m.decisionsOpen > 0 ? (
              <Tag color="orange">{t('loop.meeting.decisionsOpen', { count: m.decisionsOpen })}</Tag>
            ) : (
              <Tag color="green">{t('loop.meeting.decisionsAllDone')}</Tag>
            )}
          </Space>
        ),
    },
    { title: t('loop.meeting.assembledAt'), key: 'assembled', render: (_, m) => `${m.createdByName} · ${time.dateTime(m.assembledAt)}` },
  ];

  return (
    <Flex vertical gap={16} data-testid="meetings-page">
      <Card
        size="small"
        title={t('loop.tab.meetings')}
        extra={
          rights.manageMeetings && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog('meeting')} data-testid="meeting-open">
              {t('loop.meeting.open')}
            </Button>
          )
        }
      >
        {meetings.error && !meetings.data ? (
          <LoadError error={meetings.error} onRetry={meetings.reload} />
        ) : (
          <Table<MeetingSummary>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={meetings.data ?? []}
            loading={meetings.loading}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('loop.meeting.none')} /> }}
            onRow={(m) => ({ 'data-testid': 'meeting-row', 'data-id': m.id }) as never}
          />
        )}
      </Card>
      <Card
        size="small"
        title={t('loop.suggestion.pending')}
        extra={
          rights.suggest && (
            <Button onClick={() => setDialog('suggestion')} data-testid="suggestion-file">
              {t('loop.suggestion.file')}
            </Button>
          )
        }
      >
        {pending.error && !pending.data ? (
          <LoadError error={pending.error} onRetry={pending.reload} />
        ) : (
          <List
            size="small"
            loading={pending.loading}
            dataSource={pending.data ?? []}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('loop.suggestion.nonePending')} /> }}
            renderItem={(s) => (
              <List.Item key={s.id}>
                <List.Item.Meta
                  title={<span style={{ whiteSpace: 'pre-wrap', fontWeight: 'normal' }}>{s.text}</span>}
                  description={
                    <Space size={8} wrap>
                      <span>
                        {s.authorName} · {s.unitName} · {time.dateTime(s.createdAt)}
                      </span>
                      {s.demandId !== null && <Link to={`/demands/${s.demandId}`}>{s.demandNumber}</Link>}
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      <OpenMeetingModal open={dialog === 'meeting'} onClose={() => setDialog(null)} />
      <SuggestionModal
        open={dialog === 'suggestion'}
        onClose={() => setDialog(null)}
        onDone={() => {
          setDialog(null);
          void message.success(t('loop.suggestion.filed'));
          pending.reload();
        }}
      />
    </Flex>
  );
}
