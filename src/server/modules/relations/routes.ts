import { ErrorResponse, IdParams } from '../../../shared/schemas/common.js';
import {
  ActionList,
  Activity,
  ActivityList,
  CreateActivityBody,
  CreatePlanBody,
  DismissPlanBody,
  ListActionsQuery,
  ListActivitiesQuery,
  ListPlansQuery,
  PlanAction,
  PlanList,
  PlanRules,
  ProgressBody,
  ServicePlan,
  VisitCandidates,
} from '../../../shared/schemas/relations.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { getActivity, listActivities, listCandidates, logActivity } from './activities.js';
import { createPlan, dismissPlan, getPlan, listPlanActions, listPlans, progressAction } from './plans.js';
import { getPlanRules, setPlanRules } from './settings.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const tags = ['relations'];

export async function relationRoutes(app: App, deps: Deps): Promise<void> {
  app.post(
    '/api/service-plans',
    {
      config: { action: 'plan.manage' },
      schema: {
        tags,
        summary: 'A service plan for one customer or a group (key_accounts, residential_lv, important), with its actions',
        description: 'Exactly one of customerId and segment. Each action has an active owner and a due date.',
        body: CreatePlanBody,
        response: { 201: ServicePlan, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createPlan(serviceContext(request, deps), request.body);
    },
  );
  app.get(
    '/api/service-plans',
    {
      config: { action: ['customer.read', 'plan.manage'] },
      schema: {
        tags,
        summary: 'Service plans: for a customer, its own and the standing plans of its groups; proposed dynamic plans first',
        querystring: ListPlansQuery,
        response: { 200: PlanList, ...errors },
      },
    },
    async (request) => listPlans(serviceContext(request, deps), request.query),
  );
  app.get(
    '/api/service-plans/:id',
    {
      config: { action: ['customer.read', 'plan.manage'] },
      schema: { tags, summary: 'A service plan with its actions', params: IdParams, response: { 200: ServicePlan, ...errors } },
    },
    async (request) => getPlan(serviceContext(request, deps), request.params.id),
  );
  app.post(
    '/api/service-plans/:id/dismiss',
    {
      config: { action: 'plan.manage' },
      schema: {
        tags,
        summary: 'Set a proposed plan aside as unnecessary, with the reason',
        params: IdParams,
        body: DismissPlanBody,
        response: { 200: ServicePlan, ...errors },
      },
    },
    async (request) => dismissPlan(serviceContext(request, deps), request.params.id, request.body.reason),
  );
  app.get(
    '/api/plan-actions',
    {
      schema: {
        tags,
        summary: 'The actions of plans and the follow-ups of activities: the caller’s own, or everyone’s with plan.manage',
        querystring: ListActionsQuery,
        response: { 200: ActionList, ...errors },
      },
    },
    async (request) => listPlanActions(serviceContext(request, deps), request.query),
  );
  app.post(
    '/api/plan-actions/:id/progress',
    {
      schema: {
        tags,
        summary: 'Progress on an action by its owner or plan.manage: a note, and done; a plan whose actions are all done is done',
        params: IdParams,
        body: ProgressBody,
        response: { 200: PlanAction, ...errors },
      },
    },
    async (request) => progressAction(serviceContext(request, deps), request.params.id, request.body),
  );
  app.get(
    '/api/plan-rules',
    {
      config: { action: ['plan.manage', 'settings.manage'] },
      schema: { tags, summary: 'The rules that propose dynamic plans from recent demands', response: { 200: PlanRules, ...errors } },
    },
    async (request) => getPlanRules(serviceContext(request, deps)),
  );
  app.put(
    '/api/plan-rules',
    {
      config: { action: 'settings.manage' },
      schema: { tags, summary: 'Change the plan rules', body: PlanRules, response: { 200: PlanRules, ...errors } },
    },
    async (request) => setPlanRules(serviceContext(request, deps), request.body),
  );
  app.post(
    '/api/activities',
    {
      config: { action: 'activity.log' },
      schema: {
        tags,
        summary: 'Log a visit, a forum or an open day with the customers reached, the invited groups, the outcome and follow-ups',
        description: 'A visit reaches at least one customer; a forum or an open day names customers or invited groups.',
        body: CreateActivityBody,
        response: { 201: Activity, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return logActivity(serviceContext(request, deps), request.body);
    },
  );
  app.get(
    '/api/activities',
    {
      config: { action: ['customer.read', 'activity.log'] },
      schema: {
        tags,
        summary: 'Activities, latest first, with the count per month and kind',
        querystring: ListActivitiesQuery,
        response: { 200: ActivityList, ...errors },
      },
    },
    async (request) => listActivities(serviceContext(request, deps), request.query),
  );
  app.get(
    '/api/activities/candidates',
    {
      config: { action: ['activity.log', 'customer.read'] },
      schema: {
        tags,
        summary: 'Customers to visit: an unsatisfied callback in 90 days, or a demand not solvable yet, and no visit since',
        response: { 200: VisitCandidates, ...errors },
      },
    },
    async (request) => listCandidates(serviceContext(request, deps)),
  );
  app.get(
    '/api/activities/:id',
    {
      config: { action: ['customer.read', 'activity.log'] },
      schema: { tags, summary: 'An activity with the customers reached and its follow-ups', params: IdParams, response: { 200: Activity, ...errors } },
    },
    async (request) => getActivity(serviceContext(request, deps), request.params.id),
  );
}
