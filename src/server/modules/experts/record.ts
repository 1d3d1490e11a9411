import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { ConsultationFigures, RecordForm } from '../../../shared/schemas/experts.js';
import type { ServiceContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import { workbookBytes } from '../../platform/xlsx.js';
import { localDateTime } from '../../../shared/time.js';
import { consultationScope, presentConsultation, timesOf } from './consultations.js';
import * as poolRepo from './pool-repository.js';
import * as repo from './repository.js';
import { CONSULTATION_STEPS, figuresOf, monthRange, type ConsultationStep, type FigureInput, type Limits } from './rules.js';

// The seed's record form (专家坐席记录表), month by month, on screen and as an
// Excel workbook for the monthly report; and the month's figures per unit and
// per expert.

async function monthRows(ctx: ServiceContext, month: string, unitId: number | undefined) {
  authorize(ctx.actor, 'consultation.read');
  const filter: repo.ConsultationFilter = { ...(await consultationScope(ctx)), ...monthRange(month, ctx.timeZone), ...(unitId !== undefined && { unitId }) };
  const [rows, { limits }] = await Promise.all([repo.consultationsBetween(ctx.db, filter), poolRepo.loadLimits(ctx.db)]);
  return { rows, limits };
}

export async function recordForm(ctx: ServiceContext, month: string, unitId?: number): Promise<z.infer<typeof RecordForm>> {
  const { rows, limits } = await monthRows(ctx, month, unitId);
  const now = new Date(ctx.now());
  return {
    month,
    items: rows.map((r) => {
      const c = presentConsultation(r, limits, now);
      return {
        consultationId: c.id,
        demandNumber: c.demandNumber,
        calledAt: c.calledAt,
        customerName: c.customerName,
        customerPhone: c.customerPhone,
        question: c.question,
        forwardedAt: c.forwardedAt,
        unitName: c.unitName,
        expertName: c.expertName,
        handOvers: c.handOvers,
        answer: c.answer,
        callbackAt: c.callbackAt,
        callbackResult: c.callbackResult,
        steps: c.steps,
      };
    }),
  };
}

const STEP_TITLES: Record<ConsultationStep, string> = {
  forward: '转派专家',
  acknowledge: '专家确认',
  contact: '专家联系客户',
  reply: '专家反馈',
  callback: '坐席回访',
};

/** The record form of the month as an .xlsx workbook: one row per consultation, each step's minutes and whether it kept its limit. */
export async function recordWorkbook(ctx: ServiceContext, month: string, unitId?: number): Promise<Buffer> {
  const form = await recordForm(ctx, month, unitId);
  /** Local time as the centre reads it, in the company's zone: 2026-11-23 09:27. */
  const local = (iso: string | null) => (iso ? localDateTime(iso, ctx.timeZone) : '');
  const book = new ExcelJS.Workbook();
  book.creator = 'suqiu';
  book.created = new Date(ctx.now());
  const sheet = book.addWorksheet(`专家坐席记录表 ${month}`);
  sheet.columns = [
    { header: '诉求编号', key: 'number', width: 16 },
    { header: '客户来电时间', key: 'calledAt', width: 17 },
    { header: '客户姓名', key: 'customer', width: 12 },
    { header: '联系电话', key: 'phone', width: 14 },
    { header: '咨询问题', key: 'question', width: 40 },
    { header: '转派时间', key: 'forwardedAt', width: 17 },
    { header: '专家单位', key: 'unit', width: 16 },
    { header: '专家姓名', key: 'expert', width: 10 },
    { header: '转派次数', key: 'handOvers', width: 9 },
    { header: '专家反馈意见', key: 'answer', width: 40 },
    { header: '回访时间', key: 'callbackAt', width: 17 },
    { header: '回访结果', key: 'callback', width: 30 },
    ...CONSULTATION_STEPS.flatMap((step) => [
      { header: `${STEP_TITLES[step]}(分钟)`, key: `${step}Minutes`, width: 12 },
      { header: `${STEP_TITLES[step]}是否及时`, key: `${step}Within`, width: 12 },
    ]),
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const item of form.items) {
    const row: Record<string, unknown> = {
      number: item.demandNumber,
      calledAt: local(item.calledAt),
      customer: item.customerName ?? '',
      phone: item.customerPhone,
      question: item.question,
      forwardedAt: local(item.forwardedAt),
      unit: item.unitName,
      expert: item.expertName,
      handOvers: item.handOvers,
      answer: item.answer ?? '',
      callbackAt: local(item.callbackAt),
      callback: item.callbackResult ?? '',
    };
    for (const s of item.steps) {
      row[`${s.step}Minutes`] = s.minutes ?? '';
      row[`${s.step}Within`] = s.withinLimit === null ? '' : s.withinLimit ? '是' : '否';
    }
    sheet.addRow(row);
  }
  for (const column of ['question', 'answer', 'callback']) sheet.getColumn(column).alignment = { wrapText: true, vertical: 'top' };
  return workbookBytes(book);
}

/** The month's figures: all, per unit and per expert. */
export async function monthFigures(ctx: ServiceContext, month: string, unitId?: number): Promise<z.infer<typeof ConsultationFigures>> {
  const { rows, limits } = await monthRows(ctx, month, unitId);
  const now = new Date(ctx.now());
  const inputs = rows.map((r) => ({
    row: r,
    input: { unitId: r.unit_id, expertId: r.expert_id, handOvers: r.hand_overs, ...timesOf(r) } satisfies FigureInput,
  }));
  const groupBy = <K>(key: (r: (typeof inputs)[number]) => K) => {
    const groups = new Map<K, typeof inputs>();
    for (const i of inputs) groups.set(key(i), [...(groups.get(key(i)) ?? []), i]);
    return groups;
  };
  return {
    month,
    all: figuresOf(
      inputs.map((i) => i.input),
      limits,
      now,
    ),
    units: [...groupBy((i) => i.row.unit_id)].map(([id, group]) => ({
      unitId: id,
      unitName: group[0]!.row.unit_name,
      ...figuresOf(
        group.map((i) => i.input),
        limits,
        now,
      ),
    })),
    experts: await perExpert(ctx, inputs, limits, now),
  };
}

/**
 * Per expert: the steps of the consultations they answered (or hold), and how
 * many questions were taken from them after a silence (every expert of a
 * chain but the last); each such silence also counts as an acknowledgement
 * not within its limit. The last of an unanswered chain keeps the question,
 * and their running acknowledgement counts against them while it runs late.
 */
async function perExpert(ctx: ServiceContext, inputs: { row: repo.ConsultationRow; input: FigureInput }[], limits: Limits, now: Date) {
  const passedOver = new Map<number, number>();
  for (const { row } of inputs) for (const id of (JSON.parse(row.tried_json) as number[]).slice(0, -1)) passedOver.set(id, (passedOver.get(id) ?? 0) + 1);
  const ids = [...new Set([...inputs.map((i) => i.row.expert_id), ...passedOver.keys()])];
  const people = new Map((await poolRepo.peopleOf(ctx.db, ids)).map((p) => [p.id, p]));
  return ids.map((id) => {
    const theirs = inputs.filter((i) => i.row.expert_id === id).map((i) => ({ ...i.input, silences: 0 }));
    const silences = passedOver.get(id) ?? 0;
    const f = figuresOf(theirs, limits, now, silences);
    return { expertId: id, expertName: people.get(id)?.name ?? '', unitName: people.get(id)?.unit_name ?? '', ...f, handOvers: silences };
  });
}
