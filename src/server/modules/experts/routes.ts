import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ErrorResponse, IdParams } from '../../../shared/schemas/common.js';
import {
  CommonProblem,
  ConsultationCallbackBody,
  ConsultationDetail,
  ConsultationFigures,
  ConsultationLimit,
  ConsultationLimitBody,
  ConsultationList,
  ConsultationsQuery,
  ContactedBody,
  CreateConsultationBody,
  CreateProblemBody,
  CreateTrainingBody,
  Expert,
  ExpertProfileBody,
  ExpertsQuery,
  MonthQuery,
  PoolWarnings,
  ProblemsQuery,
  RecordForm,
  ReplyBody,
  StepParams,
  Training,
  TrainingsQuery,
  UpdateProblemBody,
  WithdrawBody,
} from '../../../shared/schemas/experts.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import { versionOf } from '../../platform/versions.js';
import { XLSX_TYPE } from '../../platform/xlsx.js';
import { acknowledge, callBack, forwardQuestion, getConsultation, listConsultations, markContacted, reply, withdraw } from './consultations.js';
import { fileProblem, listProblems, listTrainings, logTraining, updateProblem } from './meeting.js';
import { listExperts, listLimits, poolWarnings, setLimit, updateExpert } from './pool.js';
import { monthFigures, recordForm, recordWorkbook } from './record.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const tags = ['expert seat'];

export async function expertRoutes(app: App, deps: Deps): Promise<void> {
  const ctx = (request: FastifyRequest) => serviceContext(request, deps);

  // ── the pool ──
  app.get(
    '/api/experts',
    {
      config: { action: 'org.read' },
      schema: {
        tags,
        summary: 'The experts of a unit (and the units below it) or of all, available first',
        querystring: ExpertsQuery,
        response: { 200: z.array(Expert), ...errors },
      },
    },
    async (request) => listExperts(ctx(request), request.query),
  );
  app.put(
    '/api/experts/:id',
    {
      config: { action: ['expert.manage', 'expert.profile'] },
      schema: {
        tags,
        summary: 'An expert’s topics, hours, availability (their own, or anyone’s for an admin or team lead)',
        params: IdParams,
        body: ExpertProfileBody,
        response: { 200: Expert, ...errors },
      },
    },
    async (request) => updateExpert(ctx(request), request.params.id, request.body),
  );
  app.get(
    '/api/experts/pool-warnings',
    {
      config: { action: 'org.read' },
      schema: { tags, summary: 'Departments and county bureaus with fewer than two experts available now', response: { 200: PoolWarnings, ...errors } },
    },
    async (request) => poolWarnings(ctx(request)),
  );
  app.get(
    '/api/consultation-limits',
    {
      config: { action: 'org.read' },
      schema: { tags, summary: 'The limit of each step, in minutes', response: { 200: z.array(ConsultationLimit), ...errors } },
    },
    async (request) => listLimits(ctx(request)),
  );
  app.put(
    '/api/consultation-limits/:step',
    {
      config: { action: 'settings.manage' },
      schema: {
        tags,
        summary: 'Change a step’s limit (admin)',
        params: StepParams,
        body: ConsultationLimitBody,
        response: { 200: ConsultationLimit, ...errors },
      },
    },
    async (request) => setLimit(ctx(request), request.params.step, request.body.minutes),
  );

  // ── the relay ──
  app.post(
    '/api/demands/:id/consultations',
    {
      config: { action: 'consultation.forward' },
      schema: {
        tags,
        summary: 'Forward a question from an open demand to an expert (proposed by unit, topic and availability, or named)',
        params: IdParams,
        body: CreateConsultationBody,
        response: { 201: ConsultationDetail, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return forwardQuestion(ctx(request), request.params.id, request.body);
    },
  );
  app.get(
    '/api/consultations',
    {
      config: { action: 'consultation.read' },
      schema: {
        tags,
        summary: 'Consultations the caller may see, newest first',
        querystring: ConsultationsQuery,
        response: { 200: ConsultationList, ...errors },
      },
    },
    async (request) => listConsultations(ctx(request), request.query),
  );
  app.get(
    '/api/consultations/record',
    {
      config: { action: 'consultation.read' },
      schema: { tags, summary: 'The record form (专家坐席记录表) of a month', querystring: MonthQuery, response: { 200: RecordForm, ...errors } },
    },
    async (request) => recordForm(ctx(request), request.query.month, request.query.unitId),
  );
  app.get(
    '/api/consultations/record.xlsx',
    {
      config: { action: 'consultation.read' },
      schema: { tags, summary: 'The record form of a month as an Excel workbook', produces: [XLSX_TYPE], querystring: MonthQuery },
    },
    async (request, reply) => {
      const book = await recordWorkbook(ctx(request), request.query.month, request.query.unitId);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="expert-seat-${request.query.month}.xlsx"; filename*=UTF-8''${encodeURIComponent(`专家坐席记录表-${request.query.month}.xlsx`)}`,
        )
        .send(book);
    },
  );
  app.get(
    '/api/consultations/figures',
    {
      config: { action: 'consultation.read' },
      schema: { tags, summary: 'A month’s figures per unit and per expert', querystring: MonthQuery, response: { 200: ConsultationFigures, ...errors } },
    },
    async (request) => monthFigures(ctx(request), request.query.month, request.query.unitId),
  );
  app.get(
    '/api/consultations/:id',
    {
      config: { action: 'consultation.read' },
      schema: { tags, summary: 'A consultation with its steps and timeline', params: IdParams, response: { 200: ConsultationDetail, ...errors } },
    },
    async (request) => getConsultation(ctx(request), request.params.id),
  );
  app.post(
    '/api/consultations/:id/acknowledge',
    {
      config: { action: 'consultation.answer' },
      schema: {
        tags,
        summary: 'The expert has the question (only the expert it is assigned to)',
        params: IdParams,
        response: { 200: ConsultationDetail, ...errors },
      },
    },
    async (request) => acknowledge(ctx(request), request.params.id, versionOf(request)),
  );
  app.post(
    '/api/consultations/:id/contacted',
    {
      config: { action: 'consultation.answer' },
      schema: {
        tags,
        summary: 'The expert called the customer (now, or at the moment given)',
        params: IdParams,
        body: ContactedBody,
        response: { 200: ConsultationDetail, ...errors },
      },
    },
    async (request) => markContacted(ctx(request), request.params.id, request.body, versionOf(request)),
  );
  app.post(
    '/api/consultations/:id/reply',
    {
      config: { action: 'consultation.answer' },
      schema: { tags, summary: 'The expert reports the answer', params: IdParams, body: ReplyBody, response: { 200: ConsultationDetail, ...errors } },
    },
    async (request) => reply(ctx(request), request.params.id, request.body, versionOf(request)),
  );
  app.post(
    '/api/consultations/:id/callback',
    {
      config: { action: 'consultation.forward' },
      schema: {
        tags,
        summary: 'The agent called the customer back with the answer; the demand closes with it or stays open',
        params: IdParams,
        body: ConsultationCallbackBody,
        response: { 200: ConsultationDetail, ...errors },
      },
    },
    async (request) => callBack(ctx(request), request.params.id, request.body, versionOf(request)),
  );

  app.post(
    '/api/consultations/:id/withdraw',
    {
      config: { action: 'consultation.forward' },
      schema: {
        tags,
        summary: 'The agent takes an open question back; its expert is told',
        params: IdParams,
        body: WithdrawBody,
        response: { 200: ConsultationDetail, ...errors },
      },
    },
    async (request) => withdraw(ctx(request), request.params.id, request.body.reason, versionOf(request)),
  );

  // ── the meeting ──
  app.get(
    '/api/common-problems',
    {
      config: { action: 'consultation.read' },
      schema: {
        tags,
        summary: 'Common problems for the monthly analysis meeting',
        querystring: ProblemsQuery,
        response: { 200: z.array(CommonProblem), ...errors },
      },
    },
    async (request) => listProblems(ctx(request), request.query.month),
  );
  app.post(
    '/api/common-problems',
    {
      config: { action: 'problem.file' },
      schema: { tags, summary: 'An expert files a common problem from consultations', body: CreateProblemBody, response: { 201: CommonProblem, ...errors } },
    },
    async (request, reply) => {
      reply.code(201);
      return fileProblem(ctx(request), request.body);
    },
  );
  app.patch(
    '/api/common-problems/:id',
    {
      config: { action: 'problem.manage' },
      schema: {
        tags,
        summary: 'Discussed at the meeting, with its note',
        params: IdParams,
        body: UpdateProblemBody,
        response: { 200: CommonProblem, ...errors },
      },
    },
    async (request) => updateProblem(ctx(request), request.params.id, request.body),
  );
  app.get(
    '/api/expert-trainings',
    {
      config: { action: 'consultation.read' },
      schema: { tags, summary: 'Training sessions experts gave agents', querystring: TrainingsQuery, response: { 200: z.array(Training), ...errors } },
    },
    async (request) => listTrainings(ctx(request), request.query),
  );
  app.post(
    '/api/expert-trainings',
    {
      config: { action: 'training.log' },
      schema: { tags, summary: 'Log a training session', body: CreateTrainingBody, response: { 201: Training, ...errors } },
    },
    async (request, reply) => {
      reply.code(201);
      return logTraining(ctx(request), request.body);
    },
  );
}
