import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Typography, type InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { NAV_AREAS, type NavArea } from '../../../shared/nav.js';
import { ApiError, login } from '../../api/client.js';
import { homePath } from '../../components/areas.js';
import { FullPageSpin } from '../../components/guards.js';
import { LangSwitch } from '../../components/LangSwitch.js';
import { useRetryWords } from '../../components/passwords.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session/SessionProvider.js';

interface Values {
  username: string;
  password: string;
}

/** Back to the page that sent the user here, if this user may open it; else their first area. */
function landingPath(from: unknown, navAreas: readonly NavArea[]): string {
  if (typeof from === 'string') {
    const area = NAV_AREAS.find((a) => from === `/${a}` || from.startsWith(`/${a}/`));
    if (area && navAreas.includes(area)) return from;
  }
  return homePath(navAreas);
}

/**
 * The failure in the user's words. The server's own text is kept only for a
 * failure the page does not know: a lock-out (423, this address on this
 * account) and a throttle (429, this address on any account) say how long to wait.
 */
function useFailureWords(): (failure: ApiError) => { title: string; description?: string } {
  const { t } = useI18n();
  const retryWords = useRetryWords();
  return (failure) => {
    if (failure.error === 'unauthenticated') return { title: t('login.failed.unauthenticated') };
    const wait = retryWords(failure.retryAfterSeconds);
    if (failure.error === 'locked') return { title: t('login.failed.locked', { wait }), description: t('login.lockedDetail') };
    if (failure.status === 429) return { title: t('login.failed.tooMany', { wait }), description: t('login.tooManyDetail') };
    return { title: t('login.failed.other'), description: failure.message };
  };
}

export default function LoginPage() {
  const { t } = useI18n();
  const failureWords = useFailureWords();
  const { session, refresh } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: unknown } | null)?.from;
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<ApiError>();
  const [form] = Form.useForm<Values>();
  const passwordInput = useRef<InputRef>(null);

  // A refused password is cleared, and the cursor put back in its field, for the next try.
  useEffect(() => {
    if (failure && !submitting) passwordInput.current?.focus();
  }, [failure, submitting]);

  if (session.status === 'loading') return <FullPageSpin />;
  if (session.status === 'signed-in' && !submitting) return <Navigate to={landingPath(from, session.me.navAreas)} replace />;

  const submit = async (values: Values) => {
    setSubmitting(true);
    setFailure(undefined);
    try {
      await login({ username: values.username.trim(), password: values.password });
      const me = await refresh();
      if (me) navigate(landingPath(from, me.navAreas), { replace: true });
      else setFailure(new ApiError(0, 'session', 'signed in, but the session could not be read; try again'));
    } catch (err) {
      const error = err instanceof ApiError ? err : new ApiError(0, 'network', String(err));
      if (error.status === 401 || error.status === 423) form.setFieldValue('password', '');
      setFailure(error);
    } finally {
      setSubmitting(false);
    }
  };

  const shown = failure && failureWords(failure);

  return (
    <Flex vertical align="center" justify="center" style={{ minHeight: '100vh', background: '#f0f2f5', padding: 16 }}>
      <Flex justify="flex-end" style={{ position: 'absolute', top: 16, right: 24 }}>
        <LangSwitch type="default" />
      </Flex>
      <Card style={{ width: 400, maxWidth: '100%' }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 24 }} data-testid="app-title">
          {t('app.title')}
        </Typography.Title>
        {shown && (
          <Alert
            type="error"
            showIcon
            title={shown.title}
            description={shown.description}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
            data-error={failure?.error}
          />
        )}
        <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={submitting}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('common.required') }]}>
            <Input.Password ref={passwordInput} prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}
