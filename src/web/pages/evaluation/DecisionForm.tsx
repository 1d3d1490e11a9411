import { App, Button, Card, DatePicker, Form, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { listUnits, listUsers } from '../../api/client.js';
import { addActionItem } from '../../api/evaluation.js';
import { useFormErrors } from '../../components/errors.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { todayIn } from '../../i18n/time.js';

interface Values {
  text: string;
  ownerUnitId: number;
  ownerUserId?: number;
  dueOn: Dayjs;
}

/** （六）A decision of the meeting becomes an action item: what, which unit (and who in it), by when. */
export function DecisionForm({ meetingId, onAdded }: { meetingId: number; onAdded: () => void }) {
  const { t, timeZone } = useI18n();
  const { message } = App.useApp();
  const showErrors = useFormErrors();
  const [form] = Form.useForm<Values>();
  const unitId = Form.useWatch('ownerUnitId', form);
  const units = useLoad(listUnits);
  // A person must belong to the unit itself (the list gives the units below too).
  const people = useLoad(() => (unitId ? listUsers({ unitId }) : Promise.resolve([])), String(unitId ?? ''));
  const today = todayIn(timeZone);
  const submit = async (v: Values) => {
    try {
      await addActionItem(meetingId, {
        text: v.text.trim(),
        ownerUnitId: v.ownerUnitId,
        ...(v.ownerUserId && { ownerUserId: v.ownerUserId }),
        dueOn: v.dueOn.format('YYYY-MM-DD'),
      });
      form.resetFields();
      void message.success(t('loop.action.added'));
      onAdded();
    } catch (err) {
      showErrors(form, err);
    }
  };
  const required = { required: true, message: t('common.required') };
  return (
    <Card size="small" type="inner" title={t('loop.action.add')} className="suqiu-no-print" data-testid="decision-form">
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={(changed) => 'ownerUnitId' in changed && form.setFieldValue('ownerUserId', undefined)}
      >
        <Form.Item name="text" label={t('loop.action.text')} rules={[{ ...required, whitespace: true }]}>
          <Input.TextArea rows={2} maxLength={2000} placeholder={t('loop.action.textHint')} data-testid="decision-text" />
        </Form.Item>
        <Space wrap align="start" size={16}>
          <Form.Item name="ownerUnitId" label={t('loop.action.ownerUnit')} rules={[required]}>
            <UnitTreeSelect units={units.data ?? []} placeholder={t('loop.action.ownerUnitHint')} style={{ width: 300 }} data-testid="decision-unit" />
          </Form.Item>
          <Form.Item name="ownerUserId" label={t('loop.action.ownerUser')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              disabled={!unitId}
              loading={people.loading && Boolean(unitId)}
              placeholder={unitId ? t('loop.action.ownerUserHint') : t('loop.action.ownerUserFirst')}
              options={(people.data ?? []).filter((u) => u.unitId === unitId && u.active).map((u) => ({ value: u.id, label: u.name }))}
              style={{ width: 200 }}
              data-testid="decision-user"
            />
          </Form.Item>
          <Form.Item name="dueOn" label={t('loop.action.dueOn')} rules={[required]}>
            <DatePicker format="YYYY-MM-DD" disabledDate={(d) => d.format('YYYY-MM-DD') < today} data-testid="decision-due" />
          </Form.Item>
          <Form.Item label=" " colon={false}>
            <Button type="primary" htmlType="submit" data-testid="decision-add">
              {t('loop.action.add')}
            </Button>
          </Form.Item>
        </Space>
      </Form>
    </Card>
  );
}
