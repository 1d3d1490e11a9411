import { Link } from 'react-router-dom';
import { useI18n } from '../../i18n/index.js';

// A demand's timeline events about its outage, in words: linked to it (as its
// 主单, or a 子单 of a 主单 by number), and closed when power came back.

export function OutageEventFacts({ kind, data }: { kind: string; data: Record<string, unknown> }) {
  const { t } = useI18n();
  const id = Number(data.outageId);
  const number = typeof data.outageNumber === 'string' ? data.outageNumber : '';
  const outage = Number.isInteger(id) && id > 0 ? <Link to={`/outages/${id}`}>{number}</Link> : number;
  if (kind === 'outage.restored')
    return (
      <span>
        {t('timeline.outageOf')} {outage} · {data.closed === true ? t('timeline.outageClosed') : t('timeline.outageLeftOpen')}
      </span>
    );
  const master = typeof data.masterNumber === 'string' && data.masterNumber ? data.masterNumber : null;
  return (
    <span>
      {t('timeline.outageOf')} {outage} · {data.role === 'master' ? t('outage.master') : t('outage.child')}
      {data.role !== 'master' && master && ` · ${t('timeline.outageMaster', { number: master })}`}
    </span>
  );
}
