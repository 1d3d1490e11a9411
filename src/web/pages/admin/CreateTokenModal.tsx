import { Alert, Button, Checkbox, DatePicker, Form, Input, Radio, Select, Typography, type DatePickerProps } from 'antd';
import { useEffect, useState } from 'react';
import type { Role } from '../../../shared/codes.js';
import { createToken, listUsers, type CreatedApiToken } from '../../api/client.js';
import { FormModal } from '../../components/FormModal.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { instantOfWallClock, todayIn } from '../../i18n/time.js';
import { TokenRoles } from './TokenRoles.js';

// The picker's own date type (dayjs), named through antd so that dayjs is no direct dependency.
type PickedDate = Parameters<NonNullable<DatePickerProps['disabledDate']>>[0];

/** All of the user's roles, following the user; or only some of them, named. */
type Scope = 'all' | 'some';

interface Values {
  userId: number;
  name: string;
  expiresAt?: PickedDate | null;
  scope: Scope;
  roles?: Role[];
}

/** Two steps in one dialog: the form, then the secret, which the server will never show again. */
export function CreateTokenModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const { t, formatTime, timeZone } = useI18n();
  const [form] = Form.useForm<Values>();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const users = useLoad(() => (open ? listUsers() : Promise.resolve([])), String(open));
  const userId = Form.useWatch('userId', form);
  const scope = Form.useWatch('scope', form) ?? 'all';
  const userRoles = users.data?.find((user) => user.id === userId)?.roles;

  useEffect(() => {
    if (open) {
      form.resetFields();
      setCreated(null);
    }
  }, [open, form]);

  const submit = async (values: Values) => {
    const token = await createToken({
      userId: values.userId,
      name: values.name.trim(),
      // The picker shows the company's wall clock: what is picked is the company's time.
      expiresAt: values.expiresAt ? instantOfWallClock(values.expiresAt, timeZone).toISOString() : null,
      ...(values.scope === 'some' && { roles: values.roles }),
    });
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
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {created.name} · {created.username} · {t('tokens.expiresAt')}: {created.expiresAt ? formatTime(created.expiresAt) : t('tokens.never')}
        </Typography.Paragraph>
        <TokenRoles token={created} />
      </>
    ),
  };

  const required = { required: true, message: t('common.required') };
  const roleNames = (roles: readonly Role[]) => roles.map((role) => t(`role.${role}`)).join('、');
  return (
    <FormModal
      form={form}
      open={open}
      title={t('tokens.create')}
      onCancel={onClose}
      onSubmit={submit}
      // Another user has other roles: the ones picked for the last one mean nothing for them.
      onValuesChange={(changed: Partial<Values>) => {
        if ('userId' in changed) form.setFieldValue('roles', []);
      }}
      testId="token-form"
      intro={<Alert type="info" showIcon title={t('tokens.revocationNote')} style={{ marginBottom: 16 }} data-testid="token-revocation-note" />}
      {...secretStep}
    >
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
      <Form.Item
        name="scope"
        label={t('tokens.roles')}
        initialValue="all"
        extra={scope === 'all' ? (userRoles ? t('tokens.allRolesNow', { roles: roleNames(userRoles) }) : t('tokens.allRolesTip')) : undefined}
        style={scope === 'some' ? { marginBottom: 8 } : undefined}
      >
        <Radio.Group
          data-testid="token-scope"
          options={[
            { value: 'all', label: <span data-testid="token-scope-all">{t('tokens.allRoles')}</span> },
            { value: 'some', label: <span data-testid="token-scope-some">{t('tokens.someRoles')}</span> },
          ]}
        />
      </Form.Item>
      {scope === 'some' &&
        (userRoles ? (
          <Form.Item name="roles" extra={t('tokens.rolesHint')} rules={[{ required: true, type: 'array', min: 1, message: t('tokens.rolesRequired') }]}>
            <Checkbox.Group
              aria-label={t('tokens.roles')}
              data-testid="token-roles"
              options={userRoles.map((role) => ({ value: role, label: <span data-testid={`token-role-${role}`}>{t(`role.${role}`)}</span> }))}
            />
          </Form.Item>
        ) : (
          <Form.Item>
            <Typography.Text type="secondary">{t('tokens.pickUserFirst')}</Typography.Text>
          </Form.Item>
        ))}
      <Form.Item name="expiresAt" label={t('tokens.expiresAt')} extra={t('tokens.expiresHint')}>
        <DatePicker showTime style={{ width: '100%' }} disabledDate={(day) => day.format('YYYY-MM-DD') < todayIn(timeZone)} data-testid="token-expires" />
      </Form.Item>
    </FormModal>
  );
}
