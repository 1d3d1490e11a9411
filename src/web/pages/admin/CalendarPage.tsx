import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Calendar, Card, Col, DatePicker, Flex, Popconfirm, Row, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useSearchParams } from 'react-router-dom';
import { clearCalendarDay, listCalendar, type CalendarDay } from '../../api/settings.js';
import { useReportError } from '../../components/errors.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { todayIn } from '../../i18n/time.js';
import { CalendarDayModal, type DayTarget } from './CalendarDayModal.js';

// 工作日历: only the days that differ from the ordinary week are data (holidays
// that rest, 调休 weekends that work); the calendar shows them in their month,
// the table lists the year's, and a click on any day sets or changes it.

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

function DayTag({ day }: { day: CalendarDay }) {
  const { t } = useI18n();
  return (
    <Tag color={day.working ? 'blue' : 'red'} data-testid="calendar-kind" data-working={day.working}>
      {day.working ? t('calendar.working') : t('calendar.rest')}
    </Tag>
  );
}

export default function CalendarPage() {
  const { t, lang, timeZone } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const [params, setParams] = useSearchParams();
  // The calendar's dates are the company's: this year and this month are its, not the browser's.
  const today = dayjs(todayIn(timeZone));
  const thisYear = today.year();
  const asked = Number(params.get('year'));
  const year = Number.isInteger(asked) && asked >= MIN_YEAR && asked <= MAX_YEAR ? asked : thisYear;
  const days = useLoad(() => listCalendar(year), String(year));
  // The month on show: this one in the current year, January in any other.
  const [shown, setShown] = useState<Dayjs>(() => (year === thisYear ? today : dayjs(`${year}-01-01`)));
  // An address typed or gone back to may name another year than the month on show: that year's first month then.
  const month = shown.year() === year ? shown : year === thisYear ? today : dayjs(`${year}-01-01`);
  const [target, setTarget] = useState<DayTarget | null>(null);
  const byDate = useMemo(() => new Map((days.data ?? []).map((d) => [d.date, d])), [days.data]);
  const weekday = useMemo(() => new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: 'UTC' }), [lang]);

  const showYear = (next: number, month?: Dayjs) => {
    setShown(month ?? (next === thisYear ? today : dayjs(`${next}-01-01`)));
    if (next !== year) setParams(next === thisYear ? {} : { year: String(next) });
  };
  const unlist = async (date: string) => {
    try {
      await clearCalendarDay(date);
      void message.success(t('calendar.unlisted'));
      days.reload();
    } catch (err) {
      report(err);
    }
  };

  const columns: TableColumnsType<CalendarDay> = [
    { title: t('calendar.date'), dataIndex: 'date', key: 'date' },
    { title: t('calendar.weekday'), key: 'weekday', render: (_, d) => weekday.format(new Date(`${d.date}T00:00:00Z`)) },
    { title: t('calendar.kind'), key: 'kind', render: (_, d) => <DayTag day={d} /> },
    { title: t('calendar.name'), key: 'name', render: (_, d) => d.name ?? t('common.none') },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, d) => (
        <Space size={0}>
          <Button size="small" type="link" onClick={() => setTarget({ date: d.date, day: d })} data-testid="calendar-edit">
            {t('calendar.edit')}
          </Button>
          <Popconfirm
            title={t('calendar.unlistConfirm', { date: d.date })}
            okText={t('common.ok')}
            cancelText={t('common.cancel')}
            onConfirm={() => unlist(d.date)}
          >
            <Button size="small" type="link" danger data-testid="calendar-unlist">
              {t('calendar.unlist')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  if (days.error && !days.data) return <LoadError error={days.error} onRetry={days.reload} />;
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Space wrap>
          <Typography.Text>{t('calendar.year')}</Typography.Text>
          <DatePicker
            picker="year"
            allowClear={false}
            value={dayjs(`${year}-01-01`)}
            onChange={(value) => value && showYear(value.year())}
            disabledDate={(d) => d.year() < MIN_YEAR || d.year() > MAX_YEAR}
            data-testid="calendar-year"
          />
          <Typography.Text type="secondary">{t('calendar.listed', { count: days.data?.length ?? 0 })}</Typography.Text>
        </Space>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={days.reload}>
            {t('common.refresh')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ date: null })} data-testid="calendar-set">
            {t('calendar.set')}
          </Button>
        </Space>
      </Flex>
      <Typography.Text type="secondary">{t('calendar.hint')}</Typography.Text>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" data-testid="calendar-month">
            <Calendar
              value={month}
              onPanelChange={(date) => showYear(date.year(), date)}
              onSelect={(date, { source }) => {
                // Only a click on a day opens it; the header's month and year pickers also "select".
                if (source === 'date') setTarget({ date: date.format('YYYY-MM-DD'), day: byDate.get(date.format('YYYY-MM-DD')) });
                if (date.year() !== year) showYear(date.year(), date);
                else setShown(date);
              }}
              cellRender={(date, info) => {
                if (info.type !== 'date') return info.originNode;
                const key = date.format('YYYY-MM-DD');
                const day = byDate.get(key);
                return (
                  <div data-testid="calendar-cell" data-date={key} data-working={day?.working} style={{ height: '100%' }} title={day?.name ?? undefined}>
                    {day && (
                      <>
                        <Tag color={day.working ? 'blue' : 'red'} style={{ marginInlineEnd: 0 }}>
                          {day.working ? t('calendar.workingShort') : t('calendar.restShort')}
                        </Tag>
                        {day.name && (
                          <Typography.Text type="secondary" ellipsis style={{ display: 'block', fontSize: 12 }}>
                            {day.name}
                          </Typography.Text>
                        )}
                      </>
                    )}
                  </div>
                );
              }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Table<CalendarDay>
            rowKey="date"
            size="small"
            columns={columns}
            dataSource={days.data ?? []}
            loading={days.loading}
            pagination={false}
            scroll={{ x: 'max-content', y: 640 }}
            locale={{ emptyText: t('calendar.none') }}
            onRow={(d) => ({ 'data-testid': 'calendar-row', 'data-date': d.date, 'data-working': d.working }) as HTMLAttributes<HTMLElement>}
            data-testid="calendar-table"
          />
        </Col>
      </Row>
      <CalendarDayModal
        target={target}
        onClose={() => setTarget(null)}
        onSaved={(date) => {
          setTarget(null);
          const savedYear = Number(date.slice(0, 4));
          if (savedYear !== year) showYear(savedYear, dayjs(date));
          else days.reload();
        }}
      />
    </Flex>
  );
}
