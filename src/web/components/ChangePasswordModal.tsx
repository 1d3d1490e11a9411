import { App, Form, Input } from 'antd';
import { changePassword } from '../api/client.js';
import { useI18n } from '../i18n/index.js';
import { FormModal } from './FormModal.js';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();

  const submit = async (values: Values) => {
    await changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword });
    void message.success(t('password.changed'));
    form.resetFields();
    onClose();
  };

  return (
    <FormModal
      form={form}
      open={open}
      title={t('header.changePassword')}
      onCancel={() => {
        form.resetFields();
        onClose();
      }}
      onSubmit={submit}
      destroyOnHidden
      testId="change-password-form"
    >
      <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('password.new')} rules={[{ required: true, message: t('common.required') }, { min: 8, message: t('password.tooShort') }]}>
        <Input.Password autoComplete="new-password" />
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
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}
