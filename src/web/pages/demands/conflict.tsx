import { Alert, Button } from 'antd';
import { useCallback, useState } from 'react';
import { ApiError } from '../../api/client.js';
import { useI18n } from '../../i18n/index.js';

/**
 * Runs changes made against the version on screen. A 409 means the record moved
 * on meanwhile (someone else changed it, or its state no longer allows the
 * action): that is not the form's fault, so it becomes a banner with a reload
 * rather than an error on a field. Any other failure stays the caller's to show.
 */
export function useConflictGuard() {
  const [conflict, setConflict] = useState<string | null>(null);
  const guard = useCallback(async (change: () => Promise<unknown>): Promise<boolean> => {
    try {
      await change();
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setConflict(err.message);
        return false;
      }
      throw err;
    }
  }, []);
  const clear = useCallback(() => setConflict(null), []);
  return { conflict, guard, clear };
}

export function ConflictBanner({ message, onReload }: { message: string | null; onReload: () => void }) {
  const { t } = useI18n();
  if (message === null) return null;
  return (
    <Alert
      type="error"
      showIcon
      title={t('conflict.title')}
      description={message}
      data-testid="conflict"
      action={
        <Button type="primary" danger onClick={onReload} data-testid="conflict-reload">
          {t('conflict.reload')}
        </Button>
      }
    />
  );
}
