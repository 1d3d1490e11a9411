import { useSearchParams } from 'react-router-dom';
import { useI18n } from '../../i18n/index.js';
import { todayIn } from '../../i18n/time.js';

/** The month a page shows (?month=YYYY-MM), this month in the company's zone by default. */
export function useMonth(): [string, (month: string) => void] {
  const [params, setParams] = useSearchParams();
  const { timeZone } = useI18n();
  const given = params.get('month');
  const month = given && /^\d{4}-(0[1-9]|1[0-2])$/.test(given) ? given : todayIn(timeZone).slice(0, 7);
  return [month, (next) => setParams({ month: next })];
}
