import { App, Form, Input, Select, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { AREA_CLASSES, UNIT_KINDS, type AreaClass, type OrgUnitKind } from '../../../shared/codes.js';
import type { UpdateUnitBody } from '../../../shared/schemas/org.js';
import { ALLOWED_PARENT_KINDS } from '../../../shared/unit-kinds.js';
import { createUnit, updateUnit, type Unit, type UserDetail } from '../../api/client.js';
import { FormModal } from '../../components/FormModal.js';
import { childKindsOf, subtreeIds } from '../../components/unitTree.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useI18n } from '../../i18n/index.js';

export type UnitFormTarget = { mode: 'create'; parentId?: number } | { mode: 'edit'; unit: Unit };

interface Values {
  code: string;
  name: string;
  kind: OrgUnitKind;
  parentId: number | null;
  areaClass: AreaClass | null;
  headUserId: number | null;
}

/** The unit and the units above it, nearest first. */
export function unitAndAbove(units: readonly Unit[], id: number): Unit[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const chain: Unit[] = [];
  for (let unit = byId.get(id); unit && !chain.includes(unit); unit = unit.parentId === null ? undefined : byId.get(unit.parentId)) chain.push(unit);
  return chain;
}

function changes(unit: Unit, values: Values): UpdateUnitBody {
  const body: UpdateUnitBody = {};
  if (values.code.trim() !== unit.code) body.code = values.code.trim();
  if (values.name.trim() !== unit.name) body.name = values.name.trim();
  if (values.parentId !== unit.parentId) body.parentId = values.parentId;
  if ((values.areaClass ?? null) !== unit.areaClass) body.areaClass = values.areaClass ?? null;
  if ((values.headUserId ?? null) !== unit.headUserId) body.headUserId = values.headUserId ?? null;
  return body;
}

export function UnitFormModal({
  target,
  units,
  users,
  onClose,
  onSaved,
}: {
  target: UnitFormTarget | null;
  units: Unit[];
  /** The active users the head is picked from. */
  users: readonly UserDetail[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const editing = target?.mode === 'edit' ? target.unit : undefined;

  useEffect(() => {
    if (!target) return;
    form.resetFields();
    if (target.mode === 'edit') {
      const { unit } = target;
      form.setFieldsValue({
        code: unit.code,
        name: unit.name,
        kind: unit.kind,
        parentId: unit.parentId,
        areaClass: unit.areaClass,
        headUserId: unit.headUserId,
      });
    } else {
      const parent = units.find((u) => u.id === target.parentId);
      const firstKind = parent ? childKindsOf(parent.kind)[0] : undefined;
      form.setFieldsValue({ parentId: parent?.id ?? null, kind: firstKind ?? 'department', areaClass: parent?.areaClass ?? null });
    }
  }, [target, units, form]);

  // Offer only parents the server would accept: the right kind, active, and not the unit itself or below it.
  const excluded = useMemo(() => (editing ? subtreeIds(units, editing.id) : new Set<number>()), [editing, units]);
  const selectable = useMemo(() => {
    const allowed = kind ? ALLOWED_PARENT_KINDS[kind] : [];
    return (unit: Unit) => unit.active && allowed.includes(unit.kind) && !excluded.has(unit.id);
  }, [kind, excluded]);

  // 负责人: a user of the unit or of a unit above it (a county's head may head its stations too), nearest unit first.
  const heads = useMemo(() => {
    if (!editing) return [];
    const chain = unitAndAbove(units, editing.id);
    const rank = new Map(chain.map((u, i) => [u.id, i]));
    return users
      .filter((u) => (u.active || u.id === editing.headUserId) && rank.has(u.unitId))
      .sort((a, b) => rank.get(a.unitId)! - rank.get(b.unitId)! || a.name.localeCompare(b.name, 'zh-CN'))
      .map((u) => ({ value: u.id, label: `${u.name} · ${u.unitName}`, search: `${u.name} ${u.username} ${u.unitName}` }));
  }, [editing, units, users]);

  const submit = async (values: Values) => {
    if (editing) {
      const body = changes(editing, values);
      if (Object.keys(body).length === 0) {
        void message.info(t('common.noChange'));
        onClose();
        return;
      }
      await updateUnit(editing.id, body);
      void message.success(t('units.updated'));
    } else {
      if (values.parentId === null) return form.setFields([{ name: 'parentId', errors: [t('common.required')] }]);
      await createUnit({
        code: values.code.trim(),
        name: values.name.trim(),
        kind: values.kind,
        parentId: values.parentId,
        areaClass: values.areaClass ?? null,
      });
      void message.success(t('units.created'));
    }
    onSaved();
  };

  const required = { required: true, message: t('common.required') };
  return (
    <FormModal
      form={form}
      open={target !== null}
      title={editing ? `${t('units.edit')}: ${editing.name}` : t('units.create')}
      onCancel={onClose}
      onSubmit={submit}
      onValuesChange={(changed: Partial<Values>) => {
        // A new kind may not fit under the chosen parent: clear it rather than let the server refuse.
        if (!changed.kind || editing) return;
        const parent = units.find((u) => u.id === form.getFieldValue('parentId'));
        if (parent && !ALLOWED_PARENT_KINDS[changed.kind].includes(parent.kind)) form.setFieldValue('parentId', null);
      }}
      testId="unit-form"
    >
      <Form.Item name="kind" label={t('units.kind')} rules={[required]}>
        <Select
          disabled={Boolean(editing)}
          data-testid="unit-kind"
          options={(editing ? [editing.kind] : UNIT_KINDS).map((value) => ({ value, label: t(`kind.${value}`) }))}
        />
      </Form.Item>
      <Form.Item name="parentId" label={t('units.parent')} extra={t('units.parentHint')} rules={editing?.parentId === null ? [] : [required]}>
        <UnitTreeSelect units={units} selectable={selectable} disabled={editing?.parentId === null} data-testid="unit-parent" />
      </Form.Item>
      <Form.Item name="code" label={t('units.code')} rules={[required]}>
        <Input data-testid="unit-code" maxLength={64} />
      </Form.Item>
      <Form.Item name="name" label={t('units.name')} rules={[required]}>
        <Input data-testid="unit-name" maxLength={200} />
      </Form.Item>
      <Form.Item name="areaClass" label={t('units.areaClass')}>
        <Select allowClear data-testid="unit-area-class" options={AREA_CLASSES.map((value) => ({ value, label: t(`areaClass.${value}`) }))} />
      </Form.Item>
      {editing ? (
        <Form.Item name="headUserId" label={t('unitHead.label')} extra={t('unitHead.hint')}>
          <Select allowClear showSearch={{ optionFilterProp: 'search' }} placeholder={t('unitHead.placeholder')} options={heads} data-testid="unit-head" />
        </Form.Item>
      ) : (
        <Typography.Text type="secondary">{t('unitHead.createHint')}</Typography.Text>
      )}
    </FormModal>
  );
}
