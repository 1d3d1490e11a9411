import { Alert, Button, DatePicker, Form, Input, Select, Typography, type DatePickerProps } from 'antd';
import { useEffect, useState } from 'react';
import { createToken, listUsers, type CreatedApiToken } from '../../api/client.js';
import { FormModal } from '../../components/FormModal.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';

// The picker's own date type (dayjs), named through antd so that dayjs is no direct dependency.
type PickedDate = Parameters<NonNullable<DatePickerProps['disabledDate']>>[0];

interface Values {
  userId: number;
  name: string;
  expiresAt?: PickedDate | null;
}

/** Two steps in one dialog: the form, then the secret, which the server will never show again. */
export function CreateTokenModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const { t, formatTime } = useI18n();
  const [form] = Form.useForm<Values>();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const users = useLoad(() => (open ? listUsers() : Promise.resolve([])), String(open));

  useEffect(() => {
    if (open) {
      form.resetFields();
      setCreated(null);
    }
  }, [open, form]);

  const submit = async (values: Values) => {
    const token = await createToken({ userId: values.userId, name: values.name.trim(), expiresAt: values.expiresAt ? values.expiresAt.toISOString() : null });
    setCreated(token);
    onCreated();
  };

  // Only the done button may close the secret step: dismissing it by accident would lose the secret for good.
  const secretStep = created && {
    title: t('tokens.secretTitle'),
    closable: false,
    mask: { closable: false },
    onCancel: undefined,
    footer: (
      <Button type="primary" onClick={onClose} data-testid="token-secret-done">
        {t('tokens.secretDone')}
      </Button>
    ),
    result: (
      <>
        <Alert type="warning" showIcon title={t('tokens.secretWarning')} style={{ marginBottom: 16 }} />
        <Typography.Paragraph copyable={{ text: created.token }} code style={{ wordBreak: 'break-all', fontSize: 14 }} data-testid="token-secret">
          {created.token}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">{t('tokens.secretUsage')}</Typography.Paragraph>
        <Typography.Text type="secondary">
          {created.name} · {created.username} · {t('tokens.expiresAt')}: {created.expiresAt ? formatTime(created.expiresAt) : t('tokens.never')}
        </Typography.Text>
      </>
    ),
  };

  const required = { required: true, message: t('common.required') };
  return (
    <FormModal form={form} open={open} title={t('tokens.create')} onCancel={onClose} onSubmit={submit} testId="token-form" {...secretStep}>
      <Form.Item name="userId" label={t('tokens.user')} rules={[required]}>
        <Select<number>
          showSearch={{ optionFilterProp: 'label' }}
          loading={users.loading}
          options={(users.data ?? []).map((user) => ({ value: user.id, label: `${user.name} (${user.username})` }))}
          data-testid="token-user"
        />
      </Form.Item>
      <Form.Item name="name" label={t('tokens.name')} rules={[required]}>
        <Input maxLength={100} data-testid="token-name" />
      </Form.Item>
      <Form.Item name="expiresAt" label={t('tokens.expiresAt')} extra={t('tokens.expiresHint')}>
        <DatePicker showTime style={{ width: '100%' }} disabledDate={(day) => day.endOf('day').valueOf() < Date.now()} data-testid="token-expires" />
      </Form.Item>
    </FormModal>
  );
}
