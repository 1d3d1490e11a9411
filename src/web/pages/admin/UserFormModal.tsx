import { App, Form, Input, Select, Switch } from 'antd';
import { useEffect } from 'react';
import { ROLES, type Role } from '../../../shared/codes.js';
import type { UpdateUserBody } from '../../../shared/schemas/org.js';
import { createUser, updateUser, type Unit, type UserDetail } from '../../api/client.js';
import { FormModal } from '../../components/FormModal.js';
import { usePasswordField, usePasswordPolicy, withPasswordWords } from '../../components/passwords.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useI18n } from '../../i18n/index.js';

export type UserFormTarget = { mode: 'create' } | { mode: 'edit'; user: UserDetail };

interface Values {
  username: string;
  name: string;
  password: string;
  roles: Role[];
  unitId: number | null;
  phone: string;
  active: boolean;
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

function changes(user: UserDetail, values: Values): UpdateUserBody {
  const body: UpdateUserBody = {};
  const phone = values.phone?.trim() || null;
  if (values.name.trim() !== user.name) body.name = values.name.trim();
  if (!sameRoles(values.roles, user.roles)) body.roles = values.roles;
  if (values.unitId !== null && values.unitId !== user.unitId) body.unitId = values.unitId;
  if (phone !== user.phone) body.phone = phone;
  if (values.active !== user.active) body.active = values.active;
  return body;
}

export function UserFormModal({ target, units, onClose, onSaved }: { target: UserFormTarget | null; units: Unit[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const editing = target?.mode === 'edit' ? target.user : undefined;
  const password = usePasswordField(usePasswordPolicy(target?.mode === 'create'));

  useEffect(() => {
    if (!target) return;
    form.resetFields();
    if (target.mode === 'edit') {
      const { user } = target;
      form.setFieldsValue({ username: user.username, name: user.name, roles: user.roles, unitId: user.unitId, phone: user.phone ?? '', active: user.active });
    }
  }, [target, form]);

  const submit = async (values: Values) => {
    if (editing) {
      const body = changes(editing, values);
      if (Object.keys(body).length === 0) {
        void message.info(t('common.noChange'));
        onClose();
        return;
      }
      await updateUser(editing.id, body);
      void message.success(t('users.updated'));
    } else {
      const phone = values.phone?.trim();
      try {
        await createUser({
          username: values.username.trim(),
          name: values.name.trim(),
          password: values.password,
          roles: values.roles,
          unitId: values.unitId!,
          ...(phone && { phone }),
        });
      } catch (err) {
        throw withPasswordWords(t, err);
      }
      void message.success(t('users.created'));
    }
    onSaved();
  };

  const required = { required: true, message: t('common.required') };
  return (
    <FormModal
      form={form}
      open={target !== null}
      title={editing ? `${t('users.edit')}: ${editing.username}` : t('users.create')}
      onCancel={onClose}
      onSubmit={submit}
      testId="user-form"
    >
      <Form.Item name="username" label={t('users.username')} rules={[required]}>
        <Input disabled={Boolean(editing)} autoComplete="off" maxLength={64} data-testid="user-username" />
      </Form.Item>
      <Form.Item name="name" label={t('users.name')} rules={[required]}>
        <Input maxLength={100} data-testid="user-name" />
      </Form.Item>
      {!editing && (
        <Form.Item name="password" label={t('users.password')} rules={password.rules} extra={password.hint}>
          <Input.Password autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
      )}
      <Form.Item name="roles" label={t('users.roles')} rules={[{ ...required, type: 'array', min: 1 }]}>
        <Select mode="multiple" data-testid="user-roles" options={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))} />
      </Form.Item>
      <Form.Item name="unitId" label={t('users.unit')} rules={[required]}>
        <UnitTreeSelect units={units} data-testid="user-unit" />
      </Form.Item>
      <Form.Item name="phone" label={t('users.phone')}>
        <Input maxLength={32} data-testid="user-phone" />
      </Form.Item>
      {editing && (
        <Form.Item name="active" label={t('common.status')} valuePropName="checked" extra={t('users.disableHint')}>
          <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
        </Form.Item>
      )}
    </FormModal>
  );
}
