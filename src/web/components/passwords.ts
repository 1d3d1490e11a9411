import type { FormRule } from 'antd';
import { useCallback, useMemo } from 'react';
import { ApiError } from '../api/client.js';
import { getPasswordPolicy, type PasswordPolicy } from '../api/settings.js';
import { useI18n, type MessageKey, type Translate } from '../i18n/index.js';
import { useCan } from '../session/SessionProvider.js';
import { useLoad } from './useLoad.js';

// The server judges a new password (its policy, zxcvbn's strength) and says
// why it refuses one in English; these helpers put that reason in the user's
// words, show the policy beside the field, and say how long a refused attempt must wait.

/** The server's reasons (platform/passwords.ts), by the words it uses; an unknown one is shown as it came. */
const WHY: readonly [string, MessageKey][] = [
  ['it is one of the ten most common passwords', 'passwordProblem.why.topTen'],
  ['it is one of the hundred most common passwords', 'passwordProblem.why.topHundred'],
  ['it is a common password', 'passwordProblem.why.common'],
  ['it is too close to a common password', 'passwordProblem.why.similarToCommon'],
  ['a single word is easy to guess', 'passwordProblem.why.wordByItself'],
  ['names are easy to guess', 'passwordProblem.why.namesByThemselves'],
  ['common names are easy to guess', 'passwordProblem.why.commonNames'],
  ['it is made of your own name or user name', 'passwordProblem.why.userInputs'],
  ['a row of keys is easy to guess', 'passwordProblem.why.straightRow'],
  ['a keyboard pattern is easy to guess', 'passwordProblem.why.keyPattern'],
  ['repeated characters are easy to guess', 'passwordProblem.why.simpleRepeat'],
  ['a repeated pattern is easy to guess', 'passwordProblem.why.extendedRepeat'],
  ['a sequence like abc or 123 is easy to guess', 'passwordProblem.why.sequences'],
  ['recent years are easy to guess', 'passwordProblem.why.recentYears'],
  ['a date is easy to guess', 'passwordProblem.why.dates'],
  ['it would be guessed quickly', 'passwordProblem.why.quick'],
];

const levelName = (t: Translate, score: number) => t(`passwordPolicy.level.${Math.min(4, Math.max(0, score))}` as MessageKey);

/** One refusal of a password field in words, or the server's own text when its shape is unknown. */
export function passwordProblemText(t: Translate, message: string): string {
  const text = message.trim();
  const short = /^must be at least (\d+) characters$/.exec(text);
  if (short) return t('passwordProblem.tooShort', { min: short[1]! });
  const long = /^must be at most (\d+) characters$/.exec(text);
  if (long) return t('passwordProblem.tooLong', { max: long[1]! });
  if (text === 'is your current password') return t('passwordProblem.isCurrent');
  if (text === 'is not your current password') return t('passwordProblem.notCurrent');
  const guessable = /^is too easy to guess: (.+) \(strength (\d) of 4, at least (\d) required\)/.exec(text);
  const why = guessable && WHY.find(([words]) => words === guessable[1]);
  if (guessable && why)
    return t('passwordProblem.guessable', { why: t(why[1]), score: levelName(t, Number(guessable[2])), required: levelName(t, Number(guessable[3])) });
  return message;
}

const PASSWORD_FIELDS = new Set(['password', 'newPassword', 'currentPassword']);

/**
 * The same failure with the password fields' issues in words, for FormModal
 * to put on the fields; anything else passes through as it was.
 */
export function withPasswordWords(t: Translate, err: unknown): unknown {
  if (!(err instanceof ApiError) || !err.issues?.length) return err;
  const issues = err.issues.map((issue) =>
    PASSWORD_FIELDS.has(issue.path.replace(/^body\./, '')) ? { ...issue, message: passwordProblemText(t, issue.message) } : issue,
  );
  return new ApiError(err.status, err.error, err.message, issues, err.requestId, err.retryAfterSeconds);
}

/**
 * The password policy, when the signed-in user may read it (the server grants
 * it with user management, `user.manage` in GET /api/me's `can`); undefined
 * otherwise or while it loads. Read again each time `open` turns true, so that
 * a dialog shows the policy of now.
 */
export function usePasswordPolicy(open: boolean): PasswordPolicy | undefined {
  const mayRead = useCan()('user.manage');
  const policy = useLoad(() => (open && mayRead ? getPasswordPolicy().catch(() => undefined) : Promise.resolve(undefined)), `${open}:${mayRead}`);
  return policy.data;
}

/** The hint under a new-password field and its client-side length rule, from the policy when it is known. */
export function usePasswordField(policy: PasswordPolicy | undefined): { hint: string; rules: FormRule[] } {
  const { t } = useI18n();
  return useMemo(() => {
    const min = policy?.minLength ?? 8;
    const hint = !policy
      ? t('passwordHint.generic')
      : policy.minStrength > 0
        ? t('passwordHint.policy', { min, level: levelName(t, policy.minStrength) })
        : t('passwordHint.length', { min });
    return {
      hint,
      rules: [
        { required: true, message: t('common.required') },
        { min, message: t('password.tooShort', { min }) },
      ],
    };
  }, [policy, t]);
}

/** "请 15 分钟后再试（10:45 之后）" from a Retry-After in seconds; "请稍后再试" without one. */
export function useRetryWords(): (seconds: number | undefined) => string {
  const { t, lang, timeZone } = useI18n();
  return useCallback(
    (seconds) => {
      if (seconds === undefined) return t('retry.later');
      if (seconds < 60) return t('retry.seconds', { n: Math.max(1, seconds) });
      const at = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(Date.now() + seconds * 1000));
      return t('retry.minutes', { n: Math.ceil(seconds / 60) }) + t('retry.at', { time: at });
    },
    [t, lang, timeZone],
  );
}
