import { Alert, App, Form, Input } from 'antd';
import { useEffect } from 'react';
import { updateUser, type UserDetail } from '../../api/client.js';
import { FormModal } from '../../components/FormModal.js';
import { usePasswordField, usePasswordPolicy, withPasswordWords } from '../../components/passwords.js';
import { useI18n } from '../../i18n/index.js';

export function ResetPasswordModal({ user, onClose, onSaved }: { user: UserDetail | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const password = usePasswordField(usePasswordPolicy(user !== null));

  useEffect(() => {
    if (user) form.resetFields();
  }, [user, form]);

  const submit = async ({ password }: { password: string }) => {
    if (!user) return;
    try {
      await updateUser(user.id, { password });
    } catch (err) {
      throw withPasswordWords(t, err);
    }
    void message.success(t('users.passwordReset'));
    onSaved();
  };

  return (
    <FormModal
      form={form}
      open={user !== null}
      title={user ? t('users.resetFor', { name: user.name }) : ''}
      onCancel={onClose}
      onSubmit={submit}
      intro={<Alert type="info" showIcon title={t('users.resetHint')} style={{ marginBottom: 16 }} />}
    >
      <Form.Item name="password" label={t('password.new')} rules={password.rules} extra={password.hint}>
        <Input.Password autoComplete="new-password" data-testid="reset-password" />
      </Form.Item>
    </FormModal>
  );
}
