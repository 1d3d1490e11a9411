import { z } from 'zod';
import { ErrorResponse, IdParams } from '../../../shared/schemas/common.js';
import {
  ActionItem,
  ActionItemProgressBody,
  ActionItemsQuery,
  CreateActionItemBody,
  CreateMeetingBody,
  CreateSuggestionBody,
  Meeting,
  MeetingSummary,
  Suggestion,
  SuggestionsQuery,
} from '../../../shared/schemas/meetings.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { versionOf } from '../../platform/versions.js';
import { sendWorkbook, XLSX_TYPE } from '../../platform/xlsx.js';
import {
  addActionItem,
  fileSuggestion,
  getMeeting,
  listActionItems,
  listMeetings,
  listSuggestions,
  openMeeting,
  reassemble,
  recordProgress,
} from './service.js';
import { meetingWorkbook } from './workbook.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const tags = ['meetings'];

export async function meetingRoutes(app: App, deps: Deps): Promise<void> {
  app.post(
    '/api/meetings',
    {
      config: { action: 'meeting.manage' },
      schema: {
        tags,
        summary: 'Open a consultation meeting (会商会议); its pack is assembled from the data',
        body: CreateMeetingBody,
        response: { 201: Meeting, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return openMeeting(serviceContext(request, deps), request.body);
    },
  );
  app.get(
    '/api/meetings',
    { config: { action: 'meeting.read' }, schema: { tags, summary: 'The meetings, newest first', response: { 200: z.array(MeetingSummary), ...errors } } },
    async (request) => listMeetings(serviceContext(request, deps)),
  );
  app.get(
    '/api/meetings/:id',
    {
      config: { action: 'meeting.read' },
      schema: { tags, summary: 'A meeting with its pack and its decisions', params: IdParams, response: { 200: Meeting, ...errors } },
    },
    async (request) => getMeeting(serviceContext(request, deps), request.params.id),
  );
  app.post(
    '/api/meetings/:id/assemble',
    {
      config: { action: 'meeting.manage' },
      schema: { tags, summary: 'Assemble the pack again from the data as it is now', params: IdParams, response: { 200: Meeting, ...errors } },
    },
    async (request) => reassemble(serviceContext(request, deps), request.params.id),
  );
  app.get(
    '/api/meetings/:id/export',
    {
      config: { action: 'meeting.read' },
      schema: { tags, summary: 'The pack and the decisions as an Excel workbook', produces: [XLSX_TYPE], params: IdParams },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, deps);
      const meeting = await getMeeting(ctx, request.params.id);
      return sendWorkbook(reply, await meetingWorkbook(meeting, ctx.now(), ctx.timeZone), `meeting-${meeting.heldOn}.xlsx`, `会商会议-${meeting.heldOn}.xlsx`);
    },
  );
  app.post(
    '/api/meetings/:id/action-items',
    {
      config: { action: 'meeting.manage' },
      schema: {
        tags,
        summary: 'Record a decision as an action item: text, owner unit and person, due date',
        params: IdParams,
        body: CreateActionItemBody,
        response: { 201: ActionItem, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return addActionItem(serviceContext(request, deps), request.params.id, request.body);
    },
  );
  app.get(
    '/api/action-items',
    {
      config: { action: 'meeting.read' },
      schema: {
        tags,
        summary: 'Action items (a unit’s handlers: their units’)',
        querystring: ActionItemsQuery,
        response: { 200: z.array(ActionItem), ...errors },
      },
    },
    async (request) => listActionItems(serviceContext(request, deps), request.query),
  );
  app.post(
    '/api/action-items/:id/progress',
    {
      config: { action: 'action_item.update' },
      schema: {
        tags,
        summary: 'Progress on an action item; done: true closes it, false reopens it',
        params: IdParams,
        body: ActionItemProgressBody,
        response: { 200: ActionItem, ...errors },
      },
    },
    async (request) => recordProgress(serviceContext(request, deps), request.params.id, request.body, versionOf(request)),
  );
  app.post(
    '/api/suggestions',
    {
      config: { action: 'suggestion.file' },
      schema: { tags, summary: 'A suggestion from the front line for the next meeting', body: CreateSuggestionBody, response: { 201: Suggestion, ...errors } },
    },
    async (request, reply) => {
      reply.code(201);
      return fileSuggestion(serviceContext(request, deps), request.body);
    },
  );
  app.get(
    '/api/suggestions',
    {
      config: { action: ['meeting.read', 'suggestion.file'] },
      schema: {
        tags,
        summary: 'Suggestions (pending: not yet taken to a meeting)',
        querystring: SuggestionsQuery,
        response: { 200: z.array(Suggestion), ...errors },
      },
    },
    async (request) => listSuggestions(serviceContext(request, deps), request.query),
  );
}
