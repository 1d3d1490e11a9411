import type { AreaClass, OrgUnitKind, Role } from '../../../shared/codes.js';

// The demo city: a fictional bureau shaped like the seeds' — its 95598 centre,
// the seven departments, seven county bureaus and their stations.

export interface DemoUnit {
  code: string;
  name: string;
  kind: OrgUnitKind;
  parentCode: string | null;
  areaClass: AreaClass | null;
}

export const BUREAU_CODE = 'YL';
export const CENTRE_CODE = 'YL-95598';
/** 输电管理所: the transmission lines' institute under 生产设备部 (a 所, no customers of its own), whose experts answer for the 110 kV lines. */
export const TRANSMISSION_CODE = 'YL-SCB-SD';

const DEPARTMENTS: [string, string][] = [
  ['SCB', '生产设备部'],
  ['YXB', '市场营销部'],
  ['JJB', '基建部'],
  ['DDZX', '调度控制中心'],
  ['AJB', '安全监察部'],
  ['WZB', '物资部'],
  ['JHB', '计划建设部'],
];

/** County bureaus with their area class and their stations (供电所). */
const COUNTIES: { code: string; name: string; area: AreaClass; stations: [string, string, AreaClass][] }[] = [
  { code: 'QL', name: '麒麟区供电局', area: 'urban', stations: [['CG', '城关供电所', 'urban'], ['NN', '南宁街道供电所', 'urban'], ['YH', '越州供电所', 'rural']] },
  { code: 'ZY', name: '沾益区供电局', area: 'urban', stations: [['XP', '西平供电所', 'urban'], ['BS', '白水供电所', 'rural'], ['PK', '盘江供电所', 'rural']] },
  { code: 'XW', name: '宣威市供电局', area: 'rural', stations: [['WT', '宛水供电所', 'urban'], ['TB', '田坝供电所', 'rural'], ['YL', '杨柳供电所', 'remote']] },
  { code: 'LP', name: '罗平县供电局', area: 'rural', stations: [['LX', '罗雄供电所', 'urban'], ['BD', '板桥供电所', 'rural'], ['DN', '大水井供电所', 'remote']] },
  { code: 'SZ', name: '师宗县供电局', area: 'rural', stations: [['DJ', '丹凤供电所', 'urban'], ['XZ', '雄壁供电所', 'rural'], ['GM', '高良供电所', 'remote']] },
  { code: 'LL', name: '陆良县供电局', area: 'rural', stations: [['ZZ', '中枢供电所', 'urban'], ['MJ', '马街供电所', 'rural'], ['SL', '三岔河供电所', 'rural']] },
  { code: 'HZ', name: '会泽县供电局', area: 'remote', stations: [['JZ', '金钟供电所', 'urban'], ['DQ', '待补供电所', 'remote'], ['NS', '娜姑供电所', 'remote']] },
];

export function demoUnits(): DemoUnit[] {
  const units: DemoUnit[] = [
    { code: BUREAU_CODE, name: '云岭供电局', kind: 'bureau', parentCode: null, areaClass: 'urban' },
    { code: CENTRE_CODE, name: '95598客户服务中心', kind: 'centre', parentCode: BUREAU_CODE, areaClass: null },
  ];
  for (const [code, name] of DEPARTMENTS) units.push({ code: `YL-${code}`, name, kind: 'department', parentCode: BUREAU_CODE, areaClass: null });
  for (const county of COUNTIES) {
    units.push({ code: `YL-${county.code}`, name: county.name, kind: 'county', parentCode: BUREAU_CODE, areaClass: county.area });
    for (const [code, name, area] of county.stations) {
      units.push({ code: `YL-${county.code}-${code}`, name, kind: 'station', parentCode: `YL-${county.code}`, areaClass: area });
    }
  }
  units.push({ code: TRANSMISSION_CODE, name: '输电管理所', kind: 'station', parentCode: 'YL-SCB', areaClass: null });
  return units;
}

/** What the experts of each unit answer for (the pool's topics; counties share the last entry). */
export const EXPERT_TOPICS: Record<string, string[]> = {
  'YL-SCB': ['输电线路', '配电线路', '线路保护区', '设备缺陷', '电压质量'],
  [TRANSMISSION_CODE]: ['输电线路', '线路保护区', '110kV线路', '线路通道'],
  'YL-YXB': ['电费电价', '业扩报装', '计量', '缴费方式', '有偿服务', '产权分界'],
  'YL-JJB': ['电网建设', '工程施工', '青苗赔偿'],
  'YL-DDZX': ['停电计划', '故障停电', '负荷控制'],
  'YL-AJB': ['供电安全', '线路保护区', '触电事故'],
  'YL-WZB': ['物资供应', '表计物资'],
  'YL-JHB': ['电网规划', '项目计划'],
  county: ['故障停电', '电费电价', '业扩报装', '农网改造', '电压质量'],
};

export function expertTopicsOf(unitCode: string, kind: string): string[] {
  return EXPERT_TOPICS[unitCode] ?? (kind === 'county' ? EXPERT_TOPICS['county']! : []);
}

export interface DemoUser {
  username: string;
  name: string;
  roles: Role[];
  unitCode: string;
  phone: string;
}

/** One user per role, named after it (docs/API.md): the logins printed at start. */
export const ROLE_USERS: DemoUser[] = [
  { username: 'admin', name: '系统管理员', roles: ['admin'], unitCode: BUREAU_CODE, phone: '0874-3210000' },
  { username: 'agent', name: '李晓雯', roles: ['agent'], unitCode: CENTRE_CODE, phone: '0874-3215001' },
  { username: 'team_lead', name: '王建华', roles: ['team_lead'], unitCode: CENTRE_CODE, phone: '0874-3215002' },
  { username: 'expert', name: '赵国强', roles: ['expert'], unitCode: 'YL-SCB', phone: '13908741001' },
  { username: 'handler', name: '陈明', roles: ['handler'], unitCode: 'YL-QL-CG', phone: '13908742001' },
  { username: 'kb_editor', name: '刘芳', roles: ['kb_editor'], unitCode: CENTRE_CODE, phone: '0874-3215003' },
  { username: 'kb_reviewer', name: '杨静', roles: ['kb_reviewer'], unitCode: CENTRE_CODE, phone: '0874-3215004' },
  { username: 'account_manager', name: '黄伟', roles: ['account_manager'], unitCode: 'YL-YXB', phone: '13908743001' },
  { username: 'analyst', name: '周丽', roles: ['analyst'], unitCode: CENTRE_CODE, phone: '0874-3215005' },
  { username: 'centre_manager', name: '孙志刚', roles: ['centre_manager'], unitCode: CENTRE_CODE, phone: '0874-3215000' },
];

/** More account managers (客户经理) of 市场营销部 beside `account_manager`: the key accounts are shared among them (issue 17). */
export const MORE_ACCOUNT_MANAGERS: DemoUser[] = [
  { username: 'account_manager.2', name: '张丽华', roles: ['account_manager'], unitCode: 'YL-YXB', phone: '13908743002' },
  { username: 'account_manager.3', name: '赵永强', roles: ['account_manager'], unitCode: 'YL-YXB', phone: '13908743003' },
];
