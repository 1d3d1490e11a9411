import type { Migration } from 'kysely';
import * as foundation from './20261123000000_foundation.js';
import * as demands from './20261123010000_demands.js';
import * as demandSearch from './20261123020000_demand_search.js';
import * as taskDemandUnit from './20261123030000_task_demand_unit.js';
import * as openDemands from './20261123040000_open_demands.js';
import * as repeatLookup from './20261123050000_repeat_lookup.js';
import * as expertSeat from './20261124000000_expert_seat.js';
import * as knowledge from './20261125000000_knowledge.js';
import * as articleUses from './20261125010000_article_uses.js';
import * as revisionNotices from './20261125020000_revision_notices.js';
import * as articleFiles from './20261125030000_article_files.js';
import * as managementLoop from './20261205000000_management_loop.js';
import * as cases from './20261206000000_cases.js';
import * as caseLookup from './20261206010000_case_lookup.js';
import * as hardening from './20261206020000_hardening.js';
import * as knowledgePostings from './20261206030000_knowledge_postings.js';
import * as outages from './20261207000000_outages.js';
import * as customers from './20261208000000_customers.js';
import * as reports from './20261209000000_reports.js';
import * as hotIssues from './20261209010000_hot_issues.js';
import * as dashboards from './20261209030000_dashboards.js';
import * as reportsMore from './20261209040000_reports_more.js';
import * as exportsOfDemands from './20261209050000_exports.js';
import * as rollupItems from './20261210000000_rollup_items.js';

// Every migration, by its timestamped name. Listed statically (not read from
// the folder) so that the compiled server and the tests run the same set.
// Never edit one that has landed: add the next.
export const migrations: Record<string, Migration> = {
  '20261123000000_foundation': foundation,
  '20261123010000_demands': demands,
  '20261123020000_demand_search': demandSearch,
  '20261123030000_task_demand_unit': taskDemandUnit,
  '20261123040000_open_demands': openDemands,
  '20261123050000_repeat_lookup': repeatLookup,
  '20261124000000_expert_seat': expertSeat,
  '20261125000000_knowledge': knowledge,
  '20261125010000_article_uses': articleUses,
  '20261125020000_revision_notices': revisionNotices,
  '20261125030000_article_files': articleFiles,
  '20261205000000_management_loop': managementLoop,
  '20261206000000_cases': cases,
  '20261206010000_case_lookup': caseLookup,
  '20261206020000_hardening': hardening,
  '20261206030000_knowledge_postings': knowledgePostings,
  '20261207000000_outages': outages,
  '20261208000000_customers': customers,
  '20261209000000_reports': reports,
  '20261209010000_hot_issues': hotIssues,
  '20261209030000_dashboards': dashboards,
  '20261209040000_reports_more': reportsMore,
  '20261209050000_exports': exportsOfDemands,
  '20261210000000_rollup_items': rollupItems,
};
