// The public codes of docs/API.md. They are the contract with integrations:
// add to these lists freely, rename nothing without an API version bump.

export const ROLES = [
  'admin',
  'agent', // 坐席员
  'team_lead', // 班长
  'expert', // 坐席专家
  'handler', // 归口部门 / 县区局 / 工作站 staff
  'kb_editor', // 知识库编辑
  'kb_reviewer', // 知识库审核
  'account_manager', // 客户经理
  'analyst', // 管理人员
  'centre_manager', // 中心主任: escalation level 2; sees the management loop
] as const;
export type Role = (typeof ROLES)[number];

export const UNIT_KINDS = ['centre', 'department', 'county', 'station'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const DEMAND_TYPES = ['consultation', 'opinion', 'suggestion', 'complaint', 'report', 'praise', 'business', 'service_request', 'fault_repair'] as const;
export type DemandType = (typeof DEMAND_TYPES)[number];

export const DEMAND_CATEGORIES = ['outage_voltage', 'supply_service', 'supply_safety', 'grid_construction'] as const;
export type DemandCategory = (typeof DEMAND_CATEGORIES)[number];

export const CHANNELS = ['phone', 'letter', 'email', 'web', 'app', 'sms', 'weibo', 'wechat', 'hall', 'province', 'media'] as const;
export type Channel = (typeof CHANNELS)[number];

export const SOURCES = ['direct', 'province', 'media', 'public'] as const;
export type Source = (typeof SOURCES)[number];

export const AREA_CLASSES = ['urban', 'rural', 'remote'] as const;
export type AreaClass = (typeof AREA_CLASSES)[number];

export const CUSTOMER_CLASSES = [
  'residential', // 居民
  'non_residential_low', // 低压非居民
  'high_voltage', // 高压
  'self_transformer', // 自备变 (customer-owned transformer)
] as const;
export type CustomerClass = (typeof CUSTOMER_CLASSES)[number];

/** API.md's unit kinds plus the root of the tree, the city bureau (地市局). */
export const ORG_UNIT_KINDS = ['bureau', ...UNIT_KINDS] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

/** 首次处理 not resolved at the unit's level: why (API.md, "Demands: additions of the second round"). */
export const UNRESOLVED_REASONS = ['investment', 'outside_powers', 'policy', 'other'] as const;
export type UnresolvedReason = (typeof UNRESOLVED_REASONS)[number];

/** A team lead's or analyst's verdict on a complaint after verification (不属实 = unfounded). */
export const VERDICTS = ['unfounded', 'founded'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** What the centre enters for the evaluation: 客服事件 (−2), 上级通报批评 (−1), 上级表扬 (+1). */
export const EVALUATION_EVENT_KINDS = ['service_event', 'criticism', 'praise'] as const;
export type EvaluationEventKind = (typeof EVALUATION_EVENT_KINDS)[number];

/** The demand types the centre analyses and evaluates (诉求 in the seed's narrow sense). */
export const COUNTED_TYPES = ['complaint', 'opinion', 'suggestion'] as const satisfies readonly DemandType[];
