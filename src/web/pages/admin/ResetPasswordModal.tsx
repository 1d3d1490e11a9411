import { Alert, App, Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { updateUser, type UserDetail } from '../../api/client.js';
import { useFormErrors } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';

export function ResetPasswordModal({ user, onClose, onSaved }: { user: UserDetail | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const [saving, setSaving] = useState(false);
  const showErrors = useFormErrors();

  useEffect(() => {
    if (user) form.resetFields();
  }, [user, form]);

  const submit = async ({ password }: { password: string }) => {
    if (!user) return;
    setSaving(true);
    try {
      await updateUser(user.id, { password });
      void message.success(t('users.passwordReset'));
      onSaved();
    } catch (err) {
      showErrors(form, err, ['password']);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={user !== null}
      title={user ? t('users.resetFor', { name: user.name }) : ''}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      <Alert type="info" showIcon title={t('users.resetHint')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="password" label={t('password.new')} rules={[{ required: true, message: t('common.required') }, { min: 8, message: t('password.tooShort') }]}>
          <Input.Password autoComplete="new-password" data-testid="reset-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
