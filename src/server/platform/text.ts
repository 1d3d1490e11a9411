import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { sql, type RawBuilder } from 'kysely';

// Chinese text for search: segmented into words with jieba (not single
// characters or trigrams), the power-supply trade's words added to its
// dictionary. Documents are indexed with every word and sub-word
// (cut-for-search); a query is cut into words and matched as a phrase, the
// same way on SQLite (FTS5) and PostgreSQL (tsvector 'simple').

/** Words of the trade jieba's general dictionary splits or misses. */
const DOMAIN_WORDS = [
  '停电',
  '送电',
  '复电',
  '限电',
  '欠费停电',
  '计划停电',
  '故障停电',
  '临时停电',
  '电费',
  '电价',
  '峰谷电价',
  '阶梯电价',
  '分时电价',
  '台区',
  '台变',
  '配变',
  '变压器',
  '馈线',
  '线路',
  '表箱',
  '电能表',
  '智能电表',
  '计量装置',
  '电压',
  '电压质量',
  '低电压',
  '过电压',
  '电压波动',
  '业扩',
  '业扩报装',
  '报装',
  '新装',
  '增容',
  '减容',
  '过户',
  '销户',
  '更名',
  '用电申请',
  '供电方案',
  '抢修',
  '故障报修',
  '报修',
  '有偿服务',
  '产权分界',
  '产权分界点',
  '客户侧',
  '表后线',
  '缴费',
  '电费充值',
  '预付费',
  '掌上电力',
  '网上国网',
  '营业厅',
  '供电所',
  '供电局',
  '95598',
  '越级投诉',
  '重复来电',
  '多次诉求',
  '频繁停电',
  '停电通知',
  '光伏',
  '分布式光伏',
  '充电桩',
  '电动汽车',
];

const DOMAIN = new Set(DOMAIN_WORDS);
/** A word of the trade (the dictionary above). */
export const isDomainWord = (word: string) => DOMAIN.has(word);

let jieba: Jieba | undefined;
function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(DOMAIN_WORDS.map((w) => `${w} 100000`).join('\n')));
  }
  return jieba;
}

/** Tokens worth indexing or matching: words with a letter, digit or CJK character. */
const isWord = (token: string) => /[\p{L}\p{N}]/u.test(token);

/** Every word and sub-word of a document, space-separated, ready for the index. */
export function indexTokens(text: string): string {
  return segmenter()
    .cutForSearch(text.toLowerCase(), true)
    .map((t) => t.trim())
    .filter(isWord)
    .join(' ');
}

/** The words of a query, in order. */
export function queryWords(text: string): string[] {
  return segmenter()
    .cut(text.toLowerCase(), true)
    .map((t) => t.trim())
    .filter(isWord);
}

/** An FTS5 phrase of the query's words, quotes escaped. */
export function ftsPhrase(words: readonly string[]): string {
  return `"${words.map((w) => w.replaceAll('"', '""')).join(' ')}"`;
}

/**
 * The two-character pieces of a name (its bigrams), once each: a customer
 * found by any part of their name ("酒店" finds 麒麟云海酒店) looks these up
 * in an index, on either database, where a LIKE '%…%' would read every row.
 */
export function nameGrams(name: string): string[] {
  const chars = [...name.replace(/\s+/gu, '')];
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  return [...grams];
}

/**
 * `column` contains `text`, as a LIKE with the text's own %, _ and \ taken
 * literally: a search for "%" finds a percent sign, not every row.
 */
export function likeContains(column: string, text: string): RawBuilder<boolean> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`${sql.ref(column)} LIKE ${pattern} ESCAPE '\\'`;
}
