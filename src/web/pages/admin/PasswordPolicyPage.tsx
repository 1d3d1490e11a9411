import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, InputNumber, Radio, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { getPasswordPolicy, setPasswordPolicy, type PasswordPolicy } from '../../api/settings.js';
import { useFormErrors } from '../../components/errors.js';
import { LoadError } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';

// 密码策略: what a new password must be. The server judges every new password
// against it (zxcvbn's score, 0–4); this page only states and sets the two numbers.

const LEVELS = [0, 1, 2, 3, 4] as const;
const DEFAULT_STRENGTH = 2;
const LEVEL_COLORS = ['red', 'orange', 'gold', 'green', 'cyan'] as const;

export default function PasswordPolicyPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showErrors = useFormErrors();
  const policy = useLoad(getPasswordPolicy);
  const [form] = Form.useForm<PasswordPolicy>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (policy.data) form.setFieldsValue(policy.data);
  }, [policy.data, form]);

  const submit = async (values: PasswordPolicy) => {
    if (policy.data && values.minLength === policy.data.minLength && values.minStrength === policy.data.minStrength) {
      void message.info(t('common.noChange'));
      return;
    }
    setSaving(true);
    try {
      const saved = await setPasswordPolicy({ minLength: values.minLength, minStrength: values.minStrength });
      form.setFieldsValue(saved);
      policy.reload();
      void message.success(t('passwordPolicy.saved'));
    } catch (err) {
      showErrors(form, err);
    } finally {
      setSaving(false);
    }
  };

  if (policy.error && !policy.data) return <LoadError error={policy.error} onRetry={policy.reload} />;
  const required = { required: true, message: t('common.required') };
  return (
    <Card loading={!policy.data} style={{ maxWidth: 880 }} data-testid="password-policy-card">
      <Typography.Paragraph type="secondary">{t('passwordPolicy.intro')}</Typography.Paragraph>
      <Form<PasswordPolicy> form={form} layout="vertical" onFinish={submit} requiredMark={false} data-testid="password-policy-form">
        <Form.Item name="minLength" label={t('passwordPolicy.minLength')} extra={t('passwordPolicy.minLengthHint')} rules={[required]}>
          <InputNumber
            min={8}
            max={64}
            precision={0}
            suffix={t('passwordPolicy.minLengthSuffix')}
            style={{ width: 180 }}
            data-testid="password-policy-length"
          />
        </Form.Item>
        {/* The scale explained before it is chosen from: the hint goes above the options, not under the last one. */}
        <Form.Item label={t('passwordPolicy.minStrength')} required>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
            {t('passwordPolicy.minStrengthHint')}
          </Typography.Paragraph>
          <Form.Item name="minStrength" rules={[required]} noStyle>
            <Radio.Group data-testid="password-policy-strength">
              <Flex vertical gap={10}>
                {LEVELS.map((level) => (
                  <Radio key={level} value={level} data-testid={`password-policy-strength-${level}`}>
                    <Flex gap={8} align="baseline" wrap>
                      <Tag color={LEVEL_COLORS[level]} style={{ width: 92, textAlign: 'center', marginInlineEnd: 0 }}>
                        {level} · {t(`passwordPolicy.level.${level}`)}
                      </Tag>
                      <Typography.Text type="secondary">
                        {t(`passwordPolicy.levelHint.${level}`)}
                        {level === DEFAULT_STRENGTH && t('passwordPolicy.default')}
                      </Typography.Text>
                    </Flex>
                  </Radio>
                ))}
              </Flex>
            </Radio.Group>
          </Form.Item>
        </Form.Item>
        <Typography.Paragraph type="secondary">{t('passwordPolicy.advice')}</Typography.Paragraph>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="password-policy-save">
            {t('common.save')}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={() => policy.data && form.setFieldsValue(policy.data)}>
            {t('passwordPolicy.reset')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
