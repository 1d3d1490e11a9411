import { Alert, Button, Form, Input, Result, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, changePassword } from '../api/client.js';
import { useI18n } from '../i18n/index.js';
import { FormModal } from './FormModal.js';
import { usePasswordField, usePasswordPolicy, useRetryWords, withPasswordWords } from './passwords.js';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/**
 * A new password for oneself. The server ends the user's other sessions when
 * it is changed, so the dialog says so before and after; after five wrong
 * current passwords it refuses for a while (429), and the dialog says how long.
 */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const retryWords = useRetryWords();
  const [form] = Form.useForm<Values>();
  const [changed, setChanged] = useState(false);
  const [waitSeconds, setWaitSeconds] = useState<number | undefined | null>(null);
  const password = usePasswordField(usePasswordPolicy(open));

  const close = () => {
    if (!changed) form.resetFields();
    setChanged(false);
    setWaitSeconds(null);
    onClose();
  };

  const submit = async (values: Values) => {
    setWaitSeconds(null);
    try {
      await changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword });
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        setWaitSeconds(err.retryAfterSeconds);
        return;
      }
      throw withPasswordWords(t, err);
    }
    // Forgotten at once: the result replaces the form, which will not be on screen to reset on closing.
    form.resetFields();
    setChanged(true);
  };

  const done = changed && {
    title: t('header.changePassword'),
    footer: (
      <Button type="primary" onClick={close} data-testid="change-password-done">
        {t('password.done')}
      </Button>
    ),
    result: <Result status="success" title={t('password.changed')} subTitle={t('password.otherSessionsEnded')} data-testid="change-password-result" />,
  };

  return (
    <FormModal
      form={form}
      open={open}
      title={t('header.changePassword')}
      onCancel={close}
      onSubmit={submit}
      destroyOnHidden
      testId="change-password-form"
      intro={
        <>
          <Typography.Paragraph type="secondary">{t('password.changeNote')}</Typography.Paragraph>
          {waitSeconds !== null && (
            <Alert
              type="error"
              showIcon
              title={t('password.tooManyTitle')}
              description={t('password.tooManyDetail', { wait: retryWords(waitSeconds) })}
              style={{ marginBottom: 16 }}
              data-testid="change-password-wait"
            />
          )}
        </>
      }
      {...done}
    >
      <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.Password autoComplete="current-password" data-testid="change-password-current" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('password.new')} rules={password.rules} extra={password.hint}>
        <Input.Password autoComplete="new-password" data-testid="change-password-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('common.required') },
          ({ getFieldValue }) => ({
            validator: (_, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="change-password-confirm" />
      </Form.Item>
    </FormModal>
  );
}
