import { Button, Card, DatePicker, Empty, Flex, Form, Input, InputNumber, List, Select, Space, Table, Tag, Typography, App, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  fileProblem,
  listConsultations,
  listExperts,
  listProblems,
  listTrainings,
  logTraining,
  updateProblem,
  type CommonProblem,
  type Training,
} from '../../api/experts.js';
import { FormModal } from '../../components/FormModal.js';
import { useLoad } from '../../components/useLoad.js';
import { localDate } from '../../../shared/time.js';
import { useI18n } from '../../i18n/index.js';
import { todayIn } from '../../i18n/time.js';
import { useMe } from '../../session/SessionProvider.js';
import { useExpertRights } from './labels.js';
import { useMonth } from './month.js';

interface ProblemValues {
  title: string;
  description: string;
  consultationIds: number[];
}

function FileProblemModal({ open, month, onClose, onDone }: { open: boolean; month: string; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const [form] = Form.useForm<ProblemValues>();
  // The consultations an expert files from: those they answered, the latest first.
  const mine = useLoad(() => (open ? listConsultations({ expertId: me.user.id, pageSize: 200 }) : Promise.resolve({ items: [], total: 0 })), String(open));
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const submit = async (v: ProblemValues) => {
    await fileProblem({ title: v.title.trim(), description: v.description.trim(), consultationIds: v.consultationIds, meetingMonth: month });
    onDone();
  };
  const required = { required: true, message: t('common.required') };
  return (
    <FormModal form={form} open={open} title={t('problem.fileTitle')} onCancel={onClose} onSubmit={submit} testId="problem-form">
      <Form.Item name="title" label={t('problem.name')} rules={[required]}>
        <Input maxLength={200} data-testid="problem-title" />
      </Form.Item>
      <Form.Item name="description" label={t('problem.description')} rules={[required]}>
        <Input.TextArea rows={4} maxLength={4000} showCount data-testid="problem-description" />
      </Form.Item>
      <Form.Item name="consultationIds" label={t('problem.consultations')} rules={[required]}>
        <Select
          mode="multiple"
          optionFilterProp="label"
          options={(mine.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.demandNumber} · ${c.question.slice(0, 40)}` }))}
          data-testid="problem-consultations"
        />
      </Form.Item>
    </FormModal>
  );
}

interface TrainingValues {
  heldOn: Dayjs;
  expertId?: number;
  topic: string;
  attendees: string[];
  hours?: number;
  note?: string;
}

function LogTrainingModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { t, timeZone } = useI18n();
  const rights = useExpertRights();
  const [form] = Form.useForm<TrainingValues>();
  const today = todayIn(timeZone);
  const experts = useLoad(() => (open && !rights.answer ? listExperts() : Promise.resolve([])), String(open));
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ heldOn: dayjs(todayIn(timeZone)) });
  }, [open, form, timeZone]);
  const submit = async (v: TrainingValues) => {
    await logTraining({
      heldOn: v.heldOn.format('YYYY-MM-DD'),
      ...(v.expertId && { expertId: v.expertId }),
      topic: v.topic.trim(),
      attendees: v.attendees.map((a) => a.trim()).filter(Boolean),
      ...(v.hours && { hours: v.hours }),
      ...(v.note?.trim() && { note: v.note.trim() }),
    });
    onDone();
  };
  const required = { required: true, message: t('common.required') };
  return (
    <FormModal form={form} open={open} title={t('training.logTitle')} onCancel={onClose} onSubmit={submit} testId="training-form">
      <Form.Item name="heldOn" label={t('training.heldOn')} rules={[required]}>
        <DatePicker disabledDate={(d) => d.format('YYYY-MM-DD') > today} />
      </Form.Item>
      {!rights.answer && (
        <Form.Item name="expertId" label={t('training.expert')} rules={[required]}>
          <Select showSearch optionFilterProp="label" options={(experts.data ?? []).map((e) => ({ value: e.id, label: `${e.name} · ${e.unitName}` }))} />
        </Form.Item>
      )}
      <Form.Item name="topic" label={t('training.topic')} rules={[required]}>
        <Input maxLength={200} data-testid="training-topic" />
      </Form.Item>
      <Form.Item name="attendees" label={t('training.attendees')} extra={t('training.attendeesHint')} rules={[required]}>
        <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} data-testid="training-attendees" />
      </Form.Item>
      <Form.Item name="hours" label={t('training.hours')}>
        <InputNumber min={0.5} max={24} step={0.5} />
      </Form.Item>
      <Form.Item name="note" label={t('training.note')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}

/** What goes to the monthly analysis meeting: the experts' common problems, and the training sessions they gave agents. */
export default function MeetingPage() {
  const { t, timeZone } = useI18n();
  const time = (iso: string) => localDate(iso, timeZone);
  const { message } = App.useApp();
  const rights = useExpertRights();
  const [month, setMonth] = useMonth();
  const problems = useLoad(() => listProblems(month), month);
  const trainings = useLoad(() => listTrainings(month), month);
  const [dialog, setDialog] = useState<'problem' | 'training' | null>(null);

  const [closing, setClosing] = useState<CommonProblem | null>(null);
  const [noteForm] = Form.useForm<{ meetingNote: string }>();
  const discussed = async (v: { meetingNote: string }) => {
    await updateProblem(closing!.id, { status: 'discussed', meetingNote: v.meetingNote?.trim() || null });
    setClosing(null);
    void message.success(t('common.saved'));
    problems.reload();
  };

  const trainingColumns: TableColumnsType<Training> = [
    { title: t('training.heldOn'), dataIndex: 'heldOn' },
    { title: t('training.expert'), key: 'expert', render: (_, r) => `${r.expertName} · ${r.unitName}` },
    { title: t('training.topic'), dataIndex: 'topic' },
    {
      title: t('training.attendees'),
      key: 'attendees',
      render: (_, r) => (
        <span title={r.attendees.join('、')}>
          {r.attendees.length} · {r.attendees.slice(0, 6).join('、')}
          {r.attendees.length > 6 ? '…' : ''}
        </span>
      ),
    },
    { title: t('training.hours'), key: 'hours', render: (_, r) => r.hours ?? t('common.none') },
    { title: t('training.note'), key: 'note', render: (_, r) => r.note ?? '' },
  ];

  return (
    <Flex vertical gap={16} data-testid="meeting-page">
      <Space>
        <Typography.Text>{t('problem.meetingMonth')}</Typography.Text>
        <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} />
      </Space>
      <Card
        size="small"
        title={t('problem.title')}
        extra={
          rights.fileProblem && (
            <Button type="primary" onClick={() => setDialog('problem')} data-testid="problem-file">
              {t('problem.file')}
            </Button>
          )
        }
      >
        {problems.data && problems.data.length === 0 ? (
          <Empty description={t('problem.none')} />
        ) : (
          <List
            loading={problems.loading}
            dataSource={problems.data ?? []}
            renderItem={(p) => (
              <List.Item
                key={p.id}
                data-testid="problem"
                actions={
                  rights.manageProblems && p.status === 'open'
                    ? [
                        <Button
                          key="d"
                          size="small"
                          onClick={() => {
                            noteForm.resetFields();
                            setClosing(p);
                          }}
                        >
                          {t('problem.markDiscussed')}
                        </Button>,
                      ]
                    : []
                }
              >
                <List.Item.Meta
                  title={
                    <Space wrap>
                      {p.title}
                      <Tag color={p.status === 'open' ? 'orange' : 'green'}>{t(`problem.status.${p.status}`)}</Tag>
                    </Space>
                  }
                  description={
                    <Space orientation="vertical" size={2}>
                      <span style={{ whiteSpace: 'pre-wrap' }}>{p.description}</span>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {p.filedByName} · {p.unitName} · {time(p.filedAt)}
                      </Typography.Text>
                      <Space wrap size={4}>
                        {p.consultations.map((c) => (
                          <Link key={c.id} to={`/experts/consultations/${c.id}`}>
                            {c.demandNumber}
                          </Link>
                        ))}
                      </Space>
                      {p.meetingNote && <Typography.Text>{t('common.pair', { label: t('problem.meetingNote'), value: p.meetingNote })}</Typography.Text>}
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card
        size="small"
        title={t('training.title')}
        extra={
          rights.logTraining && (
            <Button onClick={() => setDialog('training')} data-testid="training-log">
              {t('training.log')}
            </Button>
          )
        }
      >
        <Table<Training>
          rowKey="id"
          size="small"
          columns={trainingColumns}
          dataSource={trainings.data ?? []}
          loading={trainings.loading}
          pagination={false}
          locale={{ emptyText: t('training.none') }}
        />
      </Card>
      <FormModal
        form={noteForm}
        open={closing !== null}
        title={closing ? `${t('problem.markDiscussed')} · ${closing.title}` : ''}
        onCancel={() => setClosing(null)}
        onSubmit={discussed}
      >
        <Form.Item name="meetingNote" label={t('problem.meetingNote')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
      </FormModal>
      <FileProblemModal
        open={dialog === 'problem'}
        month={month}
        onClose={() => setDialog(null)}
        onDone={() => {
          setDialog(null);
          void message.success(t('problem.filed'));
          problems.reload();
        }}
      />
      <LogTrainingModal
        open={dialog === 'training'}
        onClose={() => setDialog(null)}
        onDone={() => {
          setDialog(null);
          void message.success(t('training.logged'));
          trainings.reload();
        }}
      />
    </Flex>
  );
}
