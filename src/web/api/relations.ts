import type {
  ActionList,
  Activity,
  ActivityKind,
  ActivityList,
  CandidateReason,
  CreateActivityInput,
  CreatePlanBody,
  InvitedGroup,
  ListActionsQuery,
  ListActivitiesQuery,
  ListPlansQuery,
  PlanAction,
  PlanKind,
  PlanList,
  PlanRules,
  PlanStatus,
  ProgressBody,
  Segment,
  ServicePlan,
  VisitCandidate,
  VisitCandidates,
} from '../../shared/schemas/relations.js';
import { request } from './client.js';

// Service plans and communication activities (API.md, "Customers and key
// accounts"): plans and their actions, the plan rules, activities and the
// customers to visit.

export type {
  ActionList,
  Activity,
  ActivityKind,
  ActivityList,
  CandidateReason,
  CreateActivityInput,
  CreatePlanBody,
  InvitedGroup,
  PlanAction,
  PlanKind,
  PlanList,
  PlanRules,
  PlanStatus,
  Segment,
  ServicePlan,
  VisitCandidate,
  VisitCandidates,
};

export const listPlans = (query: Partial<ListPlansQuery>) => request<PlanList>('GET', '/service-plans', undefined, query);
export const getPlan = (id: number) => request<ServicePlan>('GET', `/service-plans/${id}`);
export const createPlan = (body: CreatePlanBody) => request<ServicePlan>('POST', '/service-plans', body);
export const dismissPlan = (id: number, reason: string) => request<ServicePlan>('POST', `/service-plans/${id}/dismiss`, { reason });

export const listPlanActions = (query: Partial<ListActionsQuery>) => request<ActionList>('GET', '/plan-actions', undefined, query);
export const progressAction = (id: number, body: ProgressBody) => request<PlanAction>('POST', `/plan-actions/${id}/progress`, body);

export const getPlanRules = () => request<PlanRules>('GET', '/plan-rules');

export const listActivities = (query: Partial<ListActivitiesQuery>) => request<ActivityList>('GET', '/activities', undefined, query);
export const getActivity = (id: number) => request<Activity>('GET', `/activities/${id}`);
export const logActivity = (body: CreateActivityInput) => request<Activity>('POST', '/activities', body);
export const listVisitCandidates = () => request<VisitCandidates>('GET', '/activities/candidates');
