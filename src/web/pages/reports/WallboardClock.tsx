import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../i18n/index.js';

// The wall screen's clock, in the company's zone, kept to the server's time:
// the board's "overdue" is the server's judgement, and a screen whose own
// clock is a few minutes off must not contradict it.

export function WallboardClock({ serverNow, large }: { serverNow: string; large: boolean }) {
  const { lang, timeZone } = useI18n();
  // How far this computer's clock is behind the server's, measured at each answer.
  const skew = useMemo(() => Date.parse(serverNow) - Date.now(), [serverNow]);
  const [tick, setTick] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setTick(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const format = useMemo(
    () =>
      new Intl.DateTimeFormat(lang, {
        timeZone,
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hour12: false,
        month: 'short',
        day: 'numeric',
        weekday: 'short',
      }),
    [lang, timeZone],
  );
  return (
    <time data-testid="wall-clock" style={{ fontSize: large ? 32 : 22, fontVariantNumeric: 'tabular-nums', fontWeight: 600 }}>
      {format.format(new Date(tick + skew))}
    </time>
  );
}
