import fastifyHelmet from '@fastify/helmet';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { App } from './context.js';
import { AppError, type Issue } from './errors.js';

// What every answer carries, and what every request's text must be.

/** The request came over TLS (or a trusted proxy says so), or the operator says every request does. */
export function isSecure(request: FastifyRequest, config: Pick<Config, 'secureCookies'>): boolean {
  if (config.secureCookies !== 'auto') return config.secureCookies === 'always';
  return request.protocol === 'https';
}

/**
 * Headers (helmet): a Content-Security-Policy that lets the page run only its
 * own scripts (Ant Design writes inline styles, ECharts draws on canvas and
 * exports as data: images), and no page may frame suqiu (clickjacking);
 * nosniff; HSTS when the request is secure (not on a plain-HTTP demo, where
 * a browser would then refuse the site). API answers hold personal data
 * (names, phones, addresses): `Cache-Control: no-store`, so that no proxy or
 * shared browser cache keeps them.
 */
export async function securityHeaders(app: App, config: Pick<Config, 'secureCookies'>): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Same-origin by default: downloads and the API are read by the page itself.
    crossOriginEmbedderPolicy: false,
    hsts: false,
    referrerPolicy: { policy: 'same-origin' },
  });
  app.addHook('onSend', async (request, reply) => {
    if (isSecure(request, config)) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
}

// C0 controls but tab, line feed and carriage return; DEL; C1 controls.
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// Half of a UTF-16 pair without the other (String.prototype.isWellFormed, for the targets this code is checked against).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a text a person could have typed, or null: a control character, or half of a UTF-16 pair. */
export function textProblem(value: string): string | null {
  if (LONE_SURROGATE.test(value)) return 'holds a lone UTF-16 surrogate (broken text)';
  const control = CONTROL.exec(value);
  if (control) return `holds the control character U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return null;
}

/** The first string (value or key) in a parsed body or query with a problem, by its path as the validator names fields (`body.customer.name`). */
export function firstBadText(value: unknown, path: string): Issue | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { path, message: problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstBadText(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { path, message: `has a field name that ${keyProblem}` };
      const found = firstBadText(inner, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON bodies are read as bytes and decoded strictly: broken UTF-8 is
 * refused (400), where the default parser would have saved U+FFFD in its
 * place, silently. Every text in a body or a query string is refused with a
 * control character or a lone surrogate, before any route sees it.
 */
export function strictText(app: App): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = strictUtf8.decode(body as Buffer);
    } catch {
      done(new AppError('validation', 'body: is not valid UTF-8', [{ path: 'body', message: 'is not valid UTF-8' }]), undefined);
      return;
    }
    parseJson(request, text, (err, value) => {
      if (err) return done(err, undefined);
      const bad = firstBadText(value, 'body');
      if (bad) return done(new AppError('validation', `${bad.path}: ${bad.message}`, [bad]), undefined);
      done(null, value);
    });
  });
  app.addHook('preValidation', async (request) => {
    const raw = request.url.indexOf('?') >= 0 ? request.url.slice(request.url.indexOf('?') + 1) : '';
    const broken = brokenQuery(raw);
    if (broken)
      throw new AppError('validation', `querystring.${broken}: is not valid UTF-8`, [{ path: `querystring.${broken}`, message: 'is not valid UTF-8' }]);
    const bad = firstBadText(request.query, 'querystring') ?? firstBadText(request.params, 'params');
    if (bad) throw new AppError('validation', `${bad.path}: ${bad.message}`, [bad]);
  });
}

/** The name of the first query parameter whose percent-encoding is not UTF-8 (the parser would keep it undecoded), or null. */
export function brokenQuery(raw: string): string | null {
  if (raw === '' || !raw.includes('%')) return null;
  for (const part of raw.split('&')) {
    const [name = '', value = ''] = part.split('=', 2);
    for (const piece of [name, value]) {
      try {
        decodeURIComponent(piece.replace(/\+/g, ' '));
      } catch {
        let shown = name;
        try {
          shown = decodeURIComponent(name);
        } catch {
          shown = '(name)';
        }
        return shown;
      }
    }
  }
  return null;
}
