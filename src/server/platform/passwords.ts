import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';

// scrypt from Node's own crypto: no native dependency to build. The cost is
// stored with each hash, so it can be raised later without breaking old ones.

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export function defaultScryptLog2N(): number {
  const fromEnv = Number(process.env.SUQIU_SCRYPT_LOG2N);
  return Number.isInteger(fromEnv) && fromEnv >= 10 && fromEnv <= 20 ? fromEnv : 15;
}

export async function hashPassword(password: string, log2N = defaultScryptLog2N()): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** log2N;
  const key = await derive(password, salt, { N, r: 8, p: 1, maxmem: 256 * N * 8 });
  return `scrypt$${log2N}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, log2N, r, p, salt, expected] = parts as [string, string, string, string, string, string];
  const N = 2 ** Number(log2N);
  const key = await derive(password, Buffer.from(salt, 'base64'), { N, r: Number(r), p: Number(p), maxmem: 256 * N * Number(r) });
  const want = Buffer.from(expected, 'base64');
  return want.length === key.length && timingSafeEqual(want, key);
}

/** A hash of a random password, to spend the same time on unknown user names. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/** What a new password must be: at least this long, and at least this strong by zxcvbn's score (0–4). */
export interface PasswordRules {
  minLength: number;
  minStrength: number;
}
export const DEFAULT_PASSWORD_RULES: PasswordRules = { minLength: 8, minStrength: 2 };

let estimator: ZxcvbnFactory | undefined;
/** zxcvbn with its common-password, name and word lists and keyboard patterns, built once (its dictionaries take a moment). */
function strengthEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({ dictionary: { ...zxcvbnCommon.dictionary }, graphs: zxcvbnCommon.adjacencyGraphs });
  return estimator;
}

const WARNINGS: Record<string, string> = {
  topTen: 'it is one of the ten most common passwords',
  topHundred: 'it is one of the hundred most common passwords',
  common: 'it is a common password',
  similarToCommon: 'it is too close to a common password',
  wordByItself: 'a single word is easy to guess',
  namesByThemselves: 'names are easy to guess',
  commonNames: 'common names are easy to guess',
  userInputs: 'it is made of your own name or user name',
  straightRow: 'a row of keys is easy to guess',
  keyPattern: 'a keyboard pattern is easy to guess',
  simpleRepeat: 'repeated characters are easy to guess',
  extendedRepeat: 'a repeated pattern is easy to guess',
  sequences: 'a sequence like abc or 123 is easy to guess',
  recentYears: 'recent years are easy to guess',
  dates: 'a date is easy to guess',
};

/**
 * Why a new password is refused, in words, or null when it will do. The
 * user's own names count against it (a password made of the user name).
 */
export function passwordProblem(password: string, rules: PasswordRules, personal: readonly string[] = []): string | null {
  if ([...password].length < rules.minLength) return `must be at least ${rules.minLength} characters`;
  if (rules.minStrength <= 0) return null;
  const result = strengthEstimator().check(
    password.slice(0, 100),
    personal.filter((p) => p.length > 0),
  );
  if (result.score >= rules.minStrength) return null;
  const why = (result.feedback.warning && WARNINGS[result.feedback.warning]) ?? 'it would be guessed quickly';
  return `is too easy to guess: ${why} (strength ${result.score} of 4, at least ${rules.minStrength} required); use a longer phrase of unrelated words`;
}
