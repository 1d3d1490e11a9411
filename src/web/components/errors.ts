import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { ApiError } from '../api/client.js';
import { useI18n } from '../i18n/index.js';

/**
 * The form field an issue is about. Schema validation names it `body.roles.0`,
 * the services' own checks name it `roles`: both land on the field `roles`.
 */
function fieldOf(path: string): string {
  const parts = path.split('.');
  if (parts[0] === 'body' && parts.length > 1) parts.shift();
  return parts[0] ?? path;
}

/**
 * Puts the server's issues on the matching fields. False when there were no
 * issues or some fit no field: then the caller shows the whole message too.
 */
export function applyIssues(form: FormInstance, err: unknown, fields: readonly string[]): boolean {
  if (!(err instanceof ApiError) || !err.issues?.length) return false;
  const byField = new Map<string, string[]>();
  let unmatched = 0;
  for (const issue of err.issues) {
    const field = fieldOf(issue.path);
    if (fields.includes(field)) byField.set(field, [...(byField.get(field) ?? []), issue.message]);
    else unmatched += 1;
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return unmatched === 0;
}

/** Shows an API failure as a toast, with the request id support asks for. */
export function useReportError(): (err: unknown) => void {
  const { message } = App.useApp();
  const { t } = useI18n();
  return useCallback(
    (err: unknown) => {
      const text = err instanceof Error ? err.message : String(err);
      const requestId = err instanceof ApiError && err.requestId ? ` (${t('common.requestId', { id: err.requestId })})` : '';
      void message.error(`${t('common.failed')}: ${text}${requestId}`);
    },
    [message, t],
  );
}

/** For form submissions: field issues go on the fields, anything else to a toast. */
export function useFormErrors(): (form: FormInstance, err: unknown, fields: readonly string[]) => void {
  const report = useReportError();
  return useCallback(
    (form: FormInstance, err: unknown, fields: readonly string[]) => {
      if (!applyIssues(form, err, fields)) report(err);
    },
    [report],
  );
}
