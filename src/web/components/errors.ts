import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { ApiError } from '../api/client.js';
import { useI18n } from '../i18n/index.js';

/** A form field's name path, as antd names it: `'phone'` or `['customer', 'phone']`. */
export type FieldPath = string | number | readonly (string | number)[];

const partsOf = (field: FieldPath): string[] => (Array.isArray(field) ? field.map(String) : [String(field)]);

/**
 * The form field an issue is about: the longest start of the issue's path that
 * names a field. Schema validation names `body.customer.phone` or `body.roles.0`,
 * the services' own checks `roles`: they land on ['customer', 'phone'] and 'roles'.
 */
function fieldOf(path: string, fields: readonly FieldPath[]): FieldPath | undefined {
  const parts = path.split('.').filter(Boolean);
  if (parts[0] === 'body' && parts.length > 1) parts.shift();
  for (let length = parts.length; length > 0; length--) {
    const key = parts.slice(0, length).join('.');
    const field = fields.find((f) => partsOf(f).join('.') === key);
    if (field !== undefined) return field;
  }
  return undefined;
}

/** Every field the form has on screen: exactly those an issue can be shown on. */
export const fieldsOf = (form: FormInstance): FieldPath[] => form.getFieldsError().map(({ name }) => (name.length === 1 ? name[0]! : name));

/**
 * Puts the server's issues on the matching fields (all the form's fields unless
 * `fields` narrows them). False when there were no issues or some fit no field:
 * then the caller shows the whole message too.
 */
export function applyIssues(form: FormInstance, err: unknown, fields: readonly FieldPath[] = fieldsOf(form)): boolean {
  if (!(err instanceof ApiError) || !err.issues?.length) return false;
  const byField = new Map<string, { name: FieldPath; errors: string[] }>();
  let unmatched = 0;
  for (const issue of err.issues) {
    const field = fieldOf(issue.path, fields);
    if (field === undefined) {
      unmatched += 1;
      continue;
    }
    const key = partsOf(field).join('.');
    const entry = byField.get(key) ?? { name: field, errors: [] };
    entry.errors.push(issue.message);
    byField.set(key, entry);
  }
  form.setFields([...byField.values()].map(({ name, errors }) => ({ name: (Array.isArray(name) ? [...name] : name) as string | (string | number)[], errors })));
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
export function useFormErrors(): (form: FormInstance, err: unknown, fields?: readonly FieldPath[]) => void {
  const report = useReportError();
  return useCallback(
    (form: FormInstance, err: unknown, fields?: readonly FieldPath[]) => {
      if (!applyIssues(form, err, fields)) report(err);
    },
    [report],
  );
}
