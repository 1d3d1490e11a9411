import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Table types. Timestamps are ISO-8601 UTC strings with milliseconds
// (`2026-11-23T01:52:29.000Z`) in both databases: fixed width, so they sort and
// compare as text, and one code path serves SQLite and PostgreSQL alike.
// Booleans are 0/1 integers for the same reason (better-sqlite3 cannot bind a boolean).
type Timestamp = string;
type Flag = number;

export interface UnitTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: string;
  parent_id: number | null;
  area_class: string | null;
  active: ColumnType<Flag, Flag | undefined, Flag>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** 负责人: the head of the unit, level 3 of the escalation ladder. */
  head_user_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  name: string;
  password_hash: string;
  unit_id: number;
  phone: string | null;
  active: ColumnType<Flag, Flag | undefined, Flag>;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserRoleTable {
  user_id: number;
  role: string;
}

export interface SessionTable {
  /** sha256 of the cookie's token: a leaked database cannot be replayed as cookies. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  /** First characters of the token, shown in lists so an admin can tell tokens apart. */
  token_prefix: string;
  created_by: number;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  /** The roles the token acts with, a JSON array, some of its user's; null: all of them (migration 20261206020000). */
  roles: string | null;
}

/** Attempts counted per key within a window (platform/throttle.ts). */
export interface LoginThrottleTable {
  key: string;
  /** The account the key counts against, if any: its locks are shown and lifted with the user. */
  user_id: number | null;
  attempts: number;
  window_start: Timestamp;
}

/** An admin-edited document by key (the password policy). */
export interface SettingTable {
  key: string;
  value_json: string;
  updated_at: Timestamp;
  updated_by: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: number | null;
  actor_kind: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  unit_id: number | null;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
  ip: string | null;
}

export interface FeederTable {
  id: Generated<number>;
  code: string;
  name: string;
  unit_id: number;
}

/** 台区: the low-voltage district behind one distribution transformer. */
export interface TransformerDistrictTable {
  id: Generated<number>;
  code: string;
  name: string;
  feeder_id: number;
  unit_id: number;
  area_class: string;
}

export interface CustomerTable {
  id: Generated<number>;
  /** 户号 */
  account_no: string;
  name: string;
  phone: string;
  address: string;
  customer_class: string;
  annual_kwh: number;
  important: ColumnType<Flag, Flag | undefined, Flag>;
  unit_id: number;
  district_id: number;
  feeder_id: number;
  area_class: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Where e-mail goes when `message_channel` is `email` (migration 20261207000000). */
  email: ColumnType<string | null, string | null | undefined, string | null>;
  /** The channel the customer is told through: `sms` | `email`. */
  message_channel: ColumnType<string, string | undefined, string>;
  /** 1: no non-essential messages (progress messages); outage notices still go. */
  messages_opt_out: ColumnType<Flag, Flag | undefined, Flag>;
  /** 核心客户: among the top N by the year's imported consumption (migration 20261208000000); not `important`, which halves limits. */
  key_account: ColumnType<Flag, Flag | undefined, Flag>;
  key_account_rank: ColumnType<number | null, number | null | undefined, number | null>;
  /** 客户经理: the user who owns this customer's relationship. */
  account_manager_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface CustomerContactTable {
  id: Generated<number>;
  customer_id: number;
  name: string;
  /** legal_rep | electrician | finance | liaison | other */
  role: string;
  phone: string;
  email: string | null;
  note: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Monthly consumption as imported (month: YYYY-MM). */
export interface ConsumptionTable {
  customer_id: number;
  month: string;
  kwh: number;
  import_id: number;
}

/** Each customer's yearly sum of `consumption`, kept up to date by the import. */
export interface ConsumptionYearTable {
  customer_id: number;
  year: number;
  kwh: number;
  months: number;
}

/** An export of the demand list (demands/exporting.ts): its filters, progress and file. */
export interface DemandExportTable {
  id: Generated<number>;
  user_id: number;
  filters_json: string;
  total: number;
  done: ColumnType<number, number | undefined, number>;
  status: string;
  error: string | null;
  file: string | null;
  size: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
}

/** Each rollup's last refresh (db/rollups.ts). */
export interface RollupStateTable {
  name: string;
  refreshed_at: Timestamp | null;
  days: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

/** Counts per local day of registration × responsible unit × category ('' for none) × type × channel. */
export interface DemandRollupTable {
  day: string;
  unit_id: number;
  category: string;
  type: string;
  channel: string;
  calls: number;
  cases: number;
  closed: number;
  overdue: number;
  repeated: number;
  handled: number;
  first_resolved: number;
  satisfied: number;
  unsatisfied: number;
}

/** Cases per local day × the customer's station (0: unknown) × type × category ('' when none). */
export interface PlaceRollupTable {
  day: string;
  station_id: number;
  type: string;
  category: string;
  cases: number;
}

/** Deadlines per local day of the demand's registration × the step's unit × step. */
export interface DeadlineRollupTable {
  day: string;
  unit_id: number;
  step: string;
  total: number;
  in_time: number;
  late: number;
  running: number;
}

/** What the demand and place rollups counted for a demand: its keys and its marks (reports/rules.ts MARK). */
export interface DemandRollupItemTable {
  demand_id: number;
  day: string;
  unit_id: number;
  station_id: number;
  category: string;
  type: string;
  channel: string;
  marks: number;
}

/** What the deadline rollup counted for a deadline: its day, the unit that owes the step, the step and how it stood. */
export interface DeadlineRollupItemTable {
  deadline_id: number;
  demand_id: number;
  day: string;
  unit_id: number;
  step: string;
  standing: string;
}

/** Hot issues' terms per local day × responsible unit × term. */
export interface TermRollupTable {
  day: string;
  unit_id: number;
  term: string;
  cases: number;
  closed: number;
}

/** Hot issues' counted cases per local day × unit × category × sub-category ('' when none). */
export interface HotCaseRollupTable {
  day: string;
  unit_id: number;
  category: string;
  subcategory: string;
  cases: number;
  closed: number;
}

export interface SatisfactionImportTable {
  id: Generated<number>;
  file_name: string;
  rows: number;
  created_by: number;
  created_at: Timestamp;
}

/** The third party's survey: one period (year, quarter, month) for the city (unit_key 0) or a unit. */
export interface SatisfactionSurveyTable {
  id: Generated<number>;
  period: string;
  period_kind: string;
  period_from: string;
  period_to: string;
  unit_key: number;
  unit_id: number | null;
  stability: number;
  safety: number;
  payment: number;
  business: number;
  hall: number;
  hotline: number;
  communication: number;
  handling: number;
  overall: number;
  import_id: number;
  updated_at: Timestamp;
}

export interface ConsumptionImportTable {
  id: Generated<number>;
  file_name: string | null;
  rows: number;
  first_month: string;
  last_month: string;
  imported_by: number | null;
  imported_at: Timestamp;
}

/** 绿色通道: a large customer's connection application (业扩). */
export interface ApplicationTable {
  id: Generated<number>;
  number: string;
  customer_id: number;
  /** new | increase */
  kind: string;
  capacity_kva: number;
  voltage: string;
  /** single | double */
  supply: string;
  /** residential | low_voltage | hv_single | hv_double: the stage set it runs through */
  track: string;
  /** open → completed | cancelled */
  status: string;
  /** The stage under way (null once completed or cancelled) and when it is due. */
  stage: string | null;
  stage_due_at: Timestamp | null;
  unit_id: number;
  account_manager_id: number | null;
  note: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_by: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  completed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  cancel_reason: string | null;
}

export interface ApplicationStageTable {
  id: Generated<number>;
  application_id: number;
  seq: number;
  /** accept | survey | scheme | design_review | midway_check | completion_check | connection */
  stage: string;
  owner_unit_id: number;
  limit_wd: number;
  started_at: Timestamp | null;
  due_at: Timestamp | null;
  /** When 80 % of the limit has passed: the reminder's moment. */
  remind_at: Timestamp | null;
  completed_at: Timestamp | null;
  completed_by: number | null;
  note: string | null;
  reminded_at: Timestamp | null;
  /** 0 none, 1 the account manager told the stage is late, 2 the owner unit's head */
  escalation_level: ColumnType<number, number | undefined, number>;
  escalated_at: Timestamp | null;
}

export interface ApplicationEventTable {
  id: Generated<number>;
  application_id: number;
  at: Timestamp;
  actor_id: number | null;
  kind: string;
  stage: string | null;
  note: string | null;
}

/** 差异化服务计划: standing for a segment or one customer, or dynamic (proposed by a rule). */
export interface ServicePlanTable {
  id: Generated<number>;
  customer_id: number | null;
  /** key_accounts | residential_lv | important (a standing plan for a group) */
  segment: string | null;
  /** standing | dynamic */
  kind: string;
  title: string;
  rule_key: string | null;
  reason: string | null;
  /** open → done | dismissed */
  status: string;
  dismiss_reason: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
}

/** 客户沟通: a visit, a forum or an open day. */
export interface ActivityTable {
  id: Generated<number>;
  /** visit | forum | open_day */
  kind: string;
  held_on: string;
  topic: string;
  place: string | null;
  /** JSON array of deputies | supervisors | key_accounts | residents */
  invited_groups: ColumnType<string, string | undefined, string>;
  outcome: string;
  unit_id: number;
  created_by: number;
  created_at: Timestamp;
}

export interface ActivityCustomerTable {
  activity_id: number;
  customer_id: number;
}

/** An action of a service plan or a follow-up of an activity. */
export interface RelationActionTable {
  id: Generated<number>;
  plan_id: number | null;
  activity_id: number | null;
  customer_id: number | null;
  text: string;
  owner_user_id: number;
  due_on: string;
  /** open → done */
  status: string;
  done_at: Timestamp | null;
  done_by: number | null;
  note: string | null;
  reminded_at: Timestamp | null;
  overdue_notified_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CalendarDayTable {
  date: string;
  working: Flag;
  name: string | null;
  updated_at: Timestamp;
}

export interface TimePolicyTable {
  id: Generated<number>;
  step: string;
  type: string | null;
  category: string | null;
  subcategory: string | null;
  area_class: string | null;
  priority: string | null;
  amount: number;
  unit: string;
  updated_at: Timestamp;
}

export interface CategoryRouteTable {
  category: string;
  unit_id: number;
  updated_at: Timestamp;
}

export interface CounterTable {
  name: string;
  value: number;
}

export interface DemandTable {
  id: Generated<number>;
  number: string;
  channel: string;
  type: string;
  category: string | null;
  subcategory: string | null;
  source: string;
  priority: string;
  sensitive: ColumnType<Flag, Flag | undefined, Flag>;
  customer_id: number | null;
  account_no: string | null;
  customer_name: string | null;
  phone: string;
  important: ColumnType<Flag, Flag | undefined, Flag>;
  area_class: string;
  station_id: number | null;
  district_id: number | null;
  feeder_id: number | null;
  unit_id: number;
  content: string;
  status: string;
  escalation_level: ColumnType<number, number | undefined, number>;
  /** The first demand of the case this one belongs to (itself when it stands alone). */
  case_id: number | null;
  repeat_of: number | null;
  repeat_count: ColumnType<number, number | undefined, number>;
  callback_attempts: ColumnType<number, number | undefined, number>;
  answer: string | null;
  answered_at: Timestamp | null;
  idempotency_key: string | null;
  /** SHA-256 of the request the Idempotency-Key was first used with (migration 20261206020000). */
  idempotency_hash: string | null;
  search_text: string | null;
  created_by: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
  version: ColumnType<number, number | undefined, number>;
  /** 首次处理: the unit of the first work order, and what its first report said (1 resolved, 0 not at that level). */
  first_unit_id: ColumnType<number | null, number | null | undefined, number | null>;
  first_resolved: ColumnType<Flag | null, Flag | null | undefined, Flag | null>;
  first_handled_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  unresolved_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** 不属实: the latest verdict on a complaint (`unfounded` | `founded`). */
  verdict: ColumnType<string | null, string | null | undefined, string | null>;
  verdict_reason: ColumnType<string | null, string | null | undefined, string | null>;
  verdict_by: ColumnType<number | null, number | null | undefined, number | null>;
  verdict_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  /** On a case's first call: the calls of the case (1 when it stands alone). */
  call_count: ColumnType<number, number | undefined, number>;
  /** A fault repair: where the fault is, as the caller said it. */
  fault_address: ColumnType<string | null, string | null | undefined, string | null>;
  /** The outage this call is about (migration 20261207000000); its 主单 has parent_id null, its 子单 the 主单's id. */
  outage_id: ColumnType<number | null, number | null | undefined, number | null>;
  parent_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** A long-running demand's progress messages: every so many working days, next at progress_due_at (null: none). */
  progress_every_wd: ColumnType<number | null, number | null | undefined, number | null>;
  progress_due_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  /** The status the customer was last told of: a change of it is told at the scheduler's next pass. */
  progress_told: ColumnType<string | null, string | null | undefined, string | null>;
  /** The case's latest callback: `satisfied` | `unsatisfied` (null: none, or unreachable) (migration 20261209000000). */
  callback_outcome: ColumnType<string | null, string | null | undefined, string | null>;
  /** 首问负责制: the agent who owns the demand until it is closed (its registrar, or whom it was handed over to; migration 20261208000000). */
  owner_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface TaskTable {
  id: Generated<number>;
  demand_id: number;
  kind: string;
  unit_id: number;
  assignee_id: number | null;
  status: string;
  instructions: string | null;
  report_json: string | null;
  return_reason: string | null;
  created_by: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  accepted_at: Timestamp | null;
  arrived_at: Timestamp | null;
  handled_at: Timestamp | null;
  closed_at: Timestamp | null;
  version: ColumnType<number, number | undefined, number>;
  /** 催办: how often the order was urged (a further call of the case, or the team lead), and when last. */
  urge_count: ColumnType<number, number | undefined, number>;
  urged_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
}

/** The two-character pieces of each customer's name: a name found by any part of it. */
export interface CustomerNameGramTable {
  gram: string;
  customer_id: number;
}

export interface KnowledgeSynonymTable {
  phrase: string;
  words: string;
  updated_at: Timestamp;
}

export interface EscalationLadderTable {
  /** 1 team lead, 2 centre manager, 3 head of the responsible unit. */
  level: number;
  /** The case's call at which the level is reached. */
  calls: number;
  updated_at: Timestamp;
}

export interface TimelineTable {
  id: Generated<number>;
  demand_id: number;
  task_id: number | null;
  at: Timestamp;
  actor_id: number | null;
  kind: string;
  note: string | null;
  data_json: string | null;
}

export interface DeadlineTable {
  id: Generated<number>;
  demand_id: number;
  task_id: number | null;
  step: string;
  started_at: Timestamp;
  due_at: Timestamp;
  warn_at: Timestamp;
  met_at: Timestamp | null;
  warned_at: Timestamp | null;
  escalated_at: Timestamp | null;
  cancelled_at: Timestamp | null;
}

export interface NotificationTable {
  id: Generated<number>;
  user_id: number | null;
  role: string | null;
  unit_id: number | null;
  kind: string;
  demand_id: number | null;
  task_id: number | null;
  consultation_id: ColumnType<number | null, number | null | undefined, number | null>;
  title: string;
  created_at: Timestamp;
}

export interface ExpertProfileTable {
  user_id: number;
  phone: string | null;
  /** On duty from–to, local time HH:MM; 00:00–24:00 is around the clock. */
  duty_from: ColumnType<string, string | undefined, string>;
  duty_to: ColumnType<string, string | undefined, string>;
  available: ColumnType<Flag, Flag | undefined, Flag>;
  unavailable_reason: string | null;
  /** The unit's leader: the last of its experts a question passes to. */
  leader: ColumnType<Flag, Flag | undefined, Flag>;
  updated_at: Timestamp;
}

export interface ExpertTopicTable {
  user_id: number;
  topic: string;
}

export interface ConsultationLimitTable {
  step: string;
  minutes: number;
  updated_at: Timestamp;
}

export interface ConsultationTable {
  id: Generated<number>;
  demand_id: number;
  unit_id: number;
  topic: string | null;
  question: string;
  customer_name: string | null;
  customer_phone: string;
  called_at: Timestamp;
  forwarded_at: Timestamp;
  forwarded_by: number;
  expert_id: number;
  /** When the current expert received it (the forward, or the last hand-over). */
  assigned_at: Timestamp;
  status: string;
  hand_overs: ColumnType<number, number | undefined, number>;
  /** The experts it was given to, in order (JSON array of user ids). */
  tried_json: ColumnType<string, string | undefined, string>;
  unanswered_at: Timestamp | null;
  acknowledged_at: Timestamp | null;
  contacted_at: Timestamp | null;
  call_ended_at: Timestamp | null;
  replied_at: Timestamp | null;
  answer: string | null;
  joint_units_json: ColumnType<string, string | undefined, string>;
  callback_at: Timestamp | null;
  callback_result: string | null;
  closed_by: number | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ConsultationEventTable {
  id: Generated<number>;
  consultation_id: number;
  at: Timestamp;
  actor_id: number | null;
  kind: string;
  expert_id: number | null;
  note: string | null;
}

export interface ConsultationTimerTable {
  id: Generated<number>;
  consultation_id: number;
  step: string;
  expert_id: number | null;
  started_at: Timestamp;
  due_at: Timestamp;
  met_at: Timestamp | null;
  fired_at: Timestamp | null;
  cancelled_at: Timestamp | null;
}

export interface CommonProblemTable {
  id: Generated<number>;
  title: string;
  description: string;
  unit_id: number;
  /** The monthly analysis meeting it goes to, YYYY-MM. */
  meeting_month: string;
  status: ColumnType<string, string | undefined, string>;
  meeting_note: string | null;
  filed_by: number;
  filed_at: Timestamp;
  updated_at: Timestamp;
}

export interface CommonProblemConsultationTable {
  problem_id: number;
  consultation_id: number;
}

export interface ExpertTrainingTable {
  id: Generated<number>;
  held_on: string;
  expert_id: number;
  topic: string;
  attendees_json: string;
  hours: number | null;
  note: string | null;
  created_by: number;
  created_at: Timestamp;
}

/** SQLite only: the contentless FTS5 index of demands.search_text, by the demand's id (PostgreSQL indexes the column). */
export interface DemandFtsTable {
  rowid: number;
  tokens: string;
}

export interface ArticleTable {
  id: Generated<number>;
  title: string;
  category: string;
  audience: string;
  owner_unit_id: number;
  /** The version agents read; null until the first approval. */
  published_version_id: number | null;
  published_at: Timestamp | null;
  /** A year after publication (滚动修编). */
  revision_due_at: Timestamp | null;
  use_count: ColumnType<number, number | undefined, number>;
  created_by: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
  /** The due date the knowledge group was warned of (a month before), and told was passed. */
  revision_warned_for: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  revision_overdue_for: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
}

export interface ArticleVersionTable {
  id: Generated<number>;
  article_id: number;
  number: number;
  title: string;
  category: string;
  tags_json: string;
  audience: string;
  /** The six sections (rule, script, reminders, documents, cases, faq) as JSON. */
  sections_json: string;
  /** draft → submitted → approved (published) or rejected (back to its editor). */
  status: string;
  author_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  submitted_at: Timestamp | null;
  reviewer_id: number | null;
  reviewed_at: Timestamp | null;
  review_comment: string | null;
  published_at: Timestamp | null;
}

export interface ArticleTagTable {
  article_id: number;
  tag: string;
}

export interface ArticleFileTable {
  id: Generated<number>;
  /** The name it was uploaded with, shown and offered on download. */
  name: string;
  /** Decided by the server from the bytes, not taken from the browser. */
  content_type: string;
  size: number;
  /** The bytes are at SUQIU_DATA_DIR/attachments/<first two>/<sha256>. */
  sha256: string;
  uploaded_by: number;
  created_at: Timestamp;
}

/** The files a version lists under 相关文件, in order. */
export interface ArticleVersionFileTable {
  version_id: number;
  file_id: number;
  position: number;
}

/** The real demands a version cites under 实际案例, in order. */
export interface ArticleVersionCaseTable {
  version_id: number;
  demand_id: number;
  position: number;
}

export interface DemandArticleTable {
  demand_id: number;
  article_id: number;
  linked_by: number;
  linked_at: Timestamp;
}

/** 传递: a month's batch of demands raised to the departments that own their categories. */
export interface TransferBatchTable {
  id: Generated<number>;
  month: string;
  period_from: Timestamp;
  period_to: Timestamp;
  /** Null when the scheduler made it. */
  created_by: number | null;
  created_at: Timestamp;
}

export interface TransferItemTable {
  id: Generated<number>;
  batch_id: number;
  demand_id: number;
  from_unit_id: number;
  to_unit_id: number;
  /** `unresolved` (reported so by its first handling) or `overdue` (open past a deadline at the month's end). */
  reason: string;
  /** open → answered */
  status: string;
  due_at: Timestamp;
  measures: string | null;
  owner: string | null;
  resolved: Flag | null;
  expected_by: string | null;
  answered_by: number | null;
  answered_at: Timestamp | null;
  version: ColumnType<number, number | undefined, number>;
}

export interface MeetingTable {
  id: Generated<number>;
  title: string;
  held_on: string;
  period_from: Timestamp;
  period_to: Timestamp;
  pack_json: string;
  assembled_at: Timestamp;
  created_by: number;
  created_at: Timestamp;
}

export interface ActionItemTable {
  id: Generated<number>;
  meeting_id: number;
  text: string;
  owner_unit_id: number;
  owner_user_id: number | null;
  due_on: string;
  /** open → done */
  status: string;
  remind_at: Timestamp;
  late_at: Timestamp;
  reminded_at: Timestamp | null;
  escalated_at: Timestamp | null;
  done_at: Timestamp | null;
  created_by: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
}

export interface ActionItemProgressTable {
  id: Generated<number>;
  item_id: number;
  at: Timestamp;
  actor_id: number | null;
  /** created, progress, done, reopened, reminded, late */
  kind: string;
  note: string | null;
}

export interface SuggestionTable {
  id: Generated<number>;
  text: string;
  demand_id: number | null;
  unit_id: number;
  author_id: number;
  meeting_id: number | null;
  created_at: Timestamp;
}

export interface EvaluationEventTable {
  id: Generated<number>;
  unit_id: number;
  /** service_event (客服事件), criticism (上级通报批评), praise (上级表扬) */
  kind: string;
  occurred_on: string;
  description: string;
  created_by: number;
  created_at: Timestamp;
}

export interface EvaluationTable {
  id: Generated<number>;
  year: number;
  quarter: number;
  revision: number;
  /** draft → published → superseded (by a published revision) */
  status: string;
  period_from: Timestamp;
  period_to: Timestamp;
  total: number;
  reason: string | null;
  computed_at: Timestamp;
  created_by: number;
  published_at: Timestamp | null;
  published_by: number | null;
  superseded_at: Timestamp | null;
}

export interface EvaluationRowTable {
  evaluation_id: number;
  unit_id: number;
  unit_name: string;
  kind: string;
  demands: number;
  share: number;
  unresolved: number;
  unresolved_rate: number;
  service_events: number;
  repeated: number;
  criticisms: number;
  praises: number;
  score: number;
  rank: number;
}

export interface OutageTable {
  id: Generated<number>;
  /** TD + local date + sequence, as the notices and the callers say it. */
  number: string;
  /** planned | maintenance | load_shedding | fault */
  kind: string;
  /** announced → in_progress → restored | cancelled */
  status: string;
  unit_id: number;
  cause: string;
  notice: string;
  /** The places cut, in words (the feeders' and 台区' names), as the public notice says them. */
  area: string;
  starts_at: Timestamp;
  expected_end_at: Timestamp;
  /** The notice rule's latest moment for the notice (planned: 7 days before the start). */
  notice_due_at: Timestamp;
  late_notice_reason: string | null;
  affected_customers: number;
  /** The 台区 it cuts with their customers, as counted when it was announced (JSON [{id, name, feederName, customers}]). */
  districts_json: ColumnType<string, string | undefined, string>;
  /** The outage's first call (主单); later calls are its 子单. */
  master_demand_id: number | null;
  started_at: Timestamp | null;
  restored_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  cancel_reason: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_by: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OutageScopeTable {
  outage_id: number;
  /** feeder | district | customer */
  kind: string;
  ref_id: number;
}

export interface OutageEventTable {
  id: Generated<number>;
  outage_id: number;
  at: Timestamp;
  actor_id: number | null;
  kind: string;
  note: string | null;
  data_json: string | null;
}

export interface OutageSuspicionTable {
  id: Generated<number>;
  /** district | feeder */
  place: string;
  place_id: number;
  first_call_id: number;
  calls: number;
  notified_at: Timestamp;
  dismissed_at: Timestamp | null;
  dismissed_by: number | null;
  dismiss_reason: string | null;
  outage_id: number | null;
}

/** The outbox: one message to one recipient, sent by the worker (modules/messages). */
export interface MessageTable {
  id: Generated<number>;
  /** Unique per recipient and message: queuing it again does nothing. */
  key: string;
  kind: string;
  /** 1: sent even to a customer who opted out of non-essential messages. */
  essential: Flag;
  /** sms | email */
  channel: string;
  address: string;
  customer_id: number | null;
  demand_id: number | null;
  outage_id: number | null;
  subject: string | null;
  body: string;
  /** queued → sending → sent | failed (queued again after a failed attempt with retries left) */
  status: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  /** While `sending`: until when the claim holds; a worker that stopped mid-send leaves it to run out. */
  lease_until: Timestamp | null;
  last_error: string | null;
  provider_id: string | null;
  sent_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DB {
  units: UnitTable;
  users: UserTable;
  user_roles: UserRoleTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  login_throttle: LoginThrottleTable;
  settings: SettingTable;
  audit_log: AuditLogTable;
  feeders: FeederTable;
  transformer_districts: TransformerDistrictTable;
  customers: CustomerTable;
  calendar_days: CalendarDayTable;
  time_policies: TimePolicyTable;
  category_routes: CategoryRouteTable;
  counters: CounterTable;
  demands: DemandTable;
  demands_fts: DemandFtsTable;
  tasks: TaskTable;
  escalation_ladder: EscalationLadderTable;
  customer_name_grams: CustomerNameGramTable;
  knowledge_synonyms: KnowledgeSynonymTable;
  timeline: TimelineTable;
  deadlines: DeadlineTable;
  notifications: NotificationTable;
  expert_profiles: ExpertProfileTable;
  expert_topics: ExpertTopicTable;
  consultation_limits: ConsultationLimitTable;
  consultations: ConsultationTable;
  consultation_events: ConsultationEventTable;
  consultation_timers: ConsultationTimerTable;
  common_problems: CommonProblemTable;
  common_problem_consultations: CommonProblemConsultationTable;
  expert_trainings: ExpertTrainingTable;
  articles: ArticleTable;
  article_versions: ArticleVersionTable;
  article_tags: ArticleTagTable;
  demand_articles: DemandArticleTable;
  article_files: ArticleFileTable;
  article_version_files: ArticleVersionFileTable;
  article_version_cases: ArticleVersionCaseTable;
  transfer_batches: TransferBatchTable;
  transfer_items: TransferItemTable;
  meetings: MeetingTable;
  action_items: ActionItemTable;
  action_item_progress: ActionItemProgressTable;
  suggestions: SuggestionTable;
  evaluation_events: EvaluationEventTable;
  evaluations: EvaluationTable;
  evaluation_rows: EvaluationRowTable;
  outages: OutageTable;
  outage_scopes: OutageScopeTable;
  outage_events: OutageEventTable;
  outage_suspicions: OutageSuspicionTable;
  messages: MessageTable;
  customer_contacts: CustomerContactTable;
  consumption: ConsumptionTable;
  consumption_years: ConsumptionYearTable;
  consumption_imports: ConsumptionImportTable;
  rollup_state: RollupStateTable;
  demand_exports: DemandExportTable;
  demand_rollup: DemandRollupTable;
  deadline_rollup: DeadlineRollupTable;
  place_rollup: PlaceRollupTable;
  demand_rollup_items: DemandRollupItemTable;
  deadline_rollup_items: DeadlineRollupItemTable;
  term_rollup: TermRollupTable;
  hot_case_rollup: HotCaseRollupTable;
  satisfaction_imports: SatisfactionImportTable;
  satisfaction_surveys: SatisfactionSurveyTable;
  applications: ApplicationTable;
  application_stages: ApplicationStageTable;
  application_events: ApplicationEventTable;
  service_plans: ServicePlanTable;
  activities: ActivityTable;
  activity_customers: ActivityCustomerTable;
  relation_actions: RelationActionTable;
}

export type UnitRow = Selectable<UnitTable>;
export type NewUnitRow = Insertable<UnitTable>;
export type UnitUpdate = Updateable<UnitTable>;
export type UserRow = Selectable<UserTable>;
export type NewUserRow = Insertable<UserTable>;
export type CustomerRow = Selectable<CustomerTable>;
export type NewCustomerRow = Insertable<CustomerTable>;
