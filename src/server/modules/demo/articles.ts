import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Sections } from '../knowledge/rules.js';
import { articleTokens, indexArticle } from '../knowledge/service.js';
import { pick, streamFor, type Random } from './random.js';

// Knowledge articles at scale, for the benchmark: each article is the same
// for a seed and an index, written from sentences of the trade about the
// four categories and the common business, so a search meets the words and
// word frequencies of a real knowledge base (停电 in about a third of them).

const TOPICS: { category: string; tag: string; title: string[]; rule: string[]; script: string[] }[] = [
  {
    category: 'outage_voltage',
    tag: '停电',
    title: ['计划停电通知', '故障停电处理', '频繁停电投诉', '停电信息查询'],
    rule: ['计划停电应提前七天通知客户，并在网上国网公告。', '故障停电后应及时告知客户预计复电时间。', '频繁停电的台区应列入改造计划。', '抢修人员城区四十五分钟、农村九十分钟内到达现场。'],
    script: ['您好，您所在台区因检修计划停电，预计下午五点复电。', '您好，抢修人员正在赶往现场，请您保持电话畅通。'],
  },
  {
    category: 'outage_voltage',
    tag: '电压质量',
    title: ['电压质量投诉', '低电压治理', '电压波动处理'],
    rule: ['客户反映低电压或电压波动的，由供电所现场测量电压质量。', '电压质量监测点每月统计电压合格率。', '低电压台区应在三个月内完成治理。'],
    script: ['您好，我们将安排人员到现场测量电压。', '您好，您反映的电压问题已记录，将在规定时限内答复。'],
  },
  {
    category: 'supply_service',
    tag: '电费电价',
    title: ['阶梯电价计算', '峰谷电价申请', '电费异常核查', '电费发票开具'],
    rule: ['阶梯电价按年度累计用电量分档计价。', '峰谷分时电价申请的次月生效。', '电能表校验结果超差的，退补电费。', '电费发票可在网上国网下载。'],
    script: ['您好，您本月电费较高可能与用电量增加有关。', '您好，峰谷电价可在营业厅或网上国网申请。'],
  },
  {
    category: 'supply_service',
    tag: '业扩报装',
    title: ['居民新装', '增容办理', '分布式光伏并网', '充电桩报装'],
    rule: ['居民新装可在营业厅或网上国网提交用电申请，业扩报装实行一证受理。', '增容需提交用电申请，涉及变压器更换的由客户承担费用。', '分布式光伏并网申请受理后，免费提供接入方案。', '居民自用充电桩按居民电价执行。'],
    script: ['您好，业扩报装需要身份证和房产证明。', '您好，光伏并网请提交并网申请。'],
  },
  {
    category: 'supply_service',
    tag: '缴费方式',
    title: ['电费缴纳方式', '欠费停电与复电', '预付费充值'],
    rule: ['客户可通过营业厅、网上国网、银行代扣等方式缴费。', '客户欠费经催缴仍未缴费的，依规定程序停电；缴清电费后二十四小时内复电。', '预付费客户余额不足时将收到提醒。'],
    script: ['您好，缴费后我们会尽快为您复电。', '您好，您可以通过网上国网充值。'],
  },
  {
    category: 'supply_safety',
    tag: '供电安全',
    title: ['线路保护区', '触电事故报告', '树障清理'],
    rule: ['线路保护区内不得建房、种植高大树木。', '发现导线断落应远离并立即报告。', '树障清理由供电企业与林业部门协同处理。'],
    script: ['您好，请您远离断落的电线，我们马上派人处理。', '您好，线路保护区内不能加盖房屋。'],
  },
  {
    category: 'supply_service',
    tag: '有偿服务与产权分界',
    title: ['产权分界', '有偿服务', '表后线故障'],
    rule: ['产权分界点以下客户侧设备的故障，供电企业可提供有偿服务。', '表后线属于客户资产，维修由客户负责。'],
    script: ['您好，表后线属于客户侧资产，可为您提供有偿服务。'],
  },
  {
    category: 'grid_construction',
    tag: '电网建设',
    title: ['电网建设施工', '青苗赔偿', '杆塔迁移'],
    rule: ['电网建设施工应提前告知沿线客户。', '青苗赔偿按当地标准执行。', '杆塔迁移由申请人承担费用。'],
    script: ['您好，施工期间如有不便敬请谅解。'],
  },
  {
    category: 'supply_service',
    tag: '计量',
    title: ['电能表校验', '智能电表更换', '抄表异常'],
    rule: ['客户对电能表准确性有异议的，可申请校验。', '智能电表更换前应通知客户并记录底数。'],
    script: ['您好，电能表校验一般在五个工作日内完成。'],
  },
];

const sentences = (random: Random, from: readonly string[], n: number) => Array.from({ length: n }, () => pick(random, from)).join('');

export interface GeneratedArticle {
  title: string;
  category: string;
  tags: string[];
  sections: Sections;
}

/** Article `index` of the generated knowledge base. */
export function generatedArticle(seed: number, index: number): GeneratedArticle {
  const random = streamFor(seed + 53, index);
  const topic = pick(random, TOPICS);
  const other = pick(random, TOPICS);
  return {
    title: `${pick(random, topic.title)}（${String(index + 1).padStart(6, '0')}）`,
    category: topic.category,
    tags: [topic.tag],
    sections: {
      rule: sentences(random, topic.rule, 2) + sentences(random, other.rule, 1),
      script: sentences(random, topic.script, 2),
      reminders: '注意核实客户身份和户号。',
      documents: '',
      cases: '',
      faq: [{ q: `${pick(random, topic.title)}需要多久？`, a: sentences(random, other.rule, 1) }],
      attachments: [],
      caseDemands: [],
    },
  };
}

/** Writes `count` generated articles, published, indexed, in large transactions (the benchmark's knowledge base). */
export async function seedGeneratedArticles(database: Database, options: { count: number; seed: number; unitId: number; authorId: number; now: string }): Promise<void> {
  const { db } = database;
  const perTransaction = 2000;
  for (let start = 0; start < options.count; start += perTransaction) {
    await db.transaction().execute(async (trx) => {
      for (let i = start; i < Math.min(options.count, start + perTransaction); i++) {
        const a = generatedArticle(options.seed, i);
        const at = options.now;
        const id = (
          await trx
            .insertInto('articles')
            .values({ title: a.title, category: a.category, audience: 'agents', owner_unit_id: options.unitId, published_at: at, revision_due_at: at, created_by: options.authorId, created_at: at, updated_at: at })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        const version = (
          await trx
            .insertInto('article_versions')
            .values({
              article_id: id,
              number: 1,
              title: a.title,
              category: a.category,
              tags_json: JSON.stringify(a.tags),
              audience: 'agents',
              sections_json: JSON.stringify(a.sections),
              status: 'approved',
              author_id: options.authorId,
              created_at: at,
              updated_at: at,
              published_at: at,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        await trx.updateTable('articles').set({ published_version_id: version }).where('id', '=', id).execute();
        await trx.insertInto('article_tags').values(a.tags.map((tag) => ({ article_id: id, tag }))).execute();
        await indexArticle(trx, database.dialect, id, articleTokens(a.title, a.sections, a.tags));
      }
    });
  }
  // As autovacuum would leave them: statistics, without which PostgreSQL misjudges a rare word, and the
  // visibility map, without which the search's index-only walks of article_words read the table too.
  if (database.dialect === 'postgres') await sql`VACUUM (ANALYZE) articles, article_versions, article_tags, article_search, article_words`.execute(db);
}
