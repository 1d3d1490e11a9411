import { useEffect, useState } from 'react';

/** A number that goes up every `ms`: a page that reads it in a load's key asks the server again on that beat. */
export function usePoll(ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setN((k) => k + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return n;
}
