import dayjs from 'dayjs';
import { useSearchParams } from 'react-router-dom';

/** The month a page shows (?month=YYYY-MM), this month by default. */
export function useMonth(): [string, (month: string) => void] {
  const [params, setParams] = useSearchParams();
  const given = params.get('month');
  const month = given && /^\d{4}-(0[1-9]|1[0-2])$/.test(given) ? given : dayjs().format('YYYY-MM');
  return [month, (next) => setParams({ month: next })];
}
