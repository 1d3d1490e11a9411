import { Form, Modal, type FormInstance, type FormProps, type ModalProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/index.js';
import { useFormErrors } from './errors.js';

// okText may name the action (发布, 确认停电) where Save would not say what happens.
type FormModalProps<V> = Omit<ModalProps, 'onOk' | 'cancelText' | 'confirmLoading' | 'children'> & {
  form: FormInstance<V>;
  /** Throws to keep the dialog open: the server's issues then land on the fields. */
  onSubmit: (values: V) => Promise<unknown>;
  onValuesChange?: FormProps<V>['onValuesChange'];
  testId?: string;
  /** Above the form, outside it. */
  intro?: ReactNode;
  /** Shown instead of the form, in the same dialog, so that it does not close and reopen. */
  result?: ReactNode;
  children: ReactNode;
};

/** A dialog around one form: saving state, Save/Cancel, and the server's errors on its fields. */
export function FormModal<V>({ form, onSubmit, onValuesChange, testId, intro, result, children, ...modal }: FormModalProps<V>) {
  const { t } = useI18n();
  const [saving, setSaving] = useState(false);
  const showErrors = useFormErrors();

  const submit = async (values: V) => {
    setSaving(true);
    try {
      await onSubmit(values);
    } catch (err) {
      // The fields on screen are exactly those an issue can be shown on; any other issue goes to the toast.
      showErrors(form, err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      // Callers fill or reset the form before it opens, which needs it mounted; a caller may rather have it gone while hidden.
      forceRender={!modal.destroyOnHidden}
      {...modal}
    >
      {result ?? (
        <>
          {intro}
          <Form<V> form={form} layout="vertical" onFinish={submit} onValuesChange={onValuesChange} data-testid={testId}>
            {children}
          </Form>
        </>
      )}
    </Modal>
  );
}
