import { TreeSelect } from 'antd';
import { useMemo, type CSSProperties } from 'react';
import type { Unit } from '../api/client.js';
import { buildUnitTree, type UnitNode } from './unitTree.js';

interface TreeOption {
  value: number;
  title: string;
  disabled: boolean;
  children?: TreeOption[];
}

interface Props {
  units: readonly Unit[];
  value?: number | null;
  onChange?: (value: number | null) => void;
  /** Units that may be picked; the others stay visible for orientation but greyed. */
  selectable?: (unit: Unit) => boolean;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  style?: CSSProperties;
  'data-testid'?: string;
}

const activeOnly = (unit: Unit) => unit.active;

export function UnitTreeSelect({ units, value, onChange, selectable = activeOnly, placeholder, allowClear, disabled, style, ...rest }: Props) {
  const treeData = useMemo(() => {
    const toOption = (node: UnitNode): TreeOption => ({
      value: node.id,
      title: `${node.name} (${node.code})`,
      disabled: !selectable(node),
      ...(node.children && { children: node.children.map(toOption) }),
    });
    return buildUnitTree(units).map(toOption);
  }, [units, selectable]);

  return (
    <TreeSelect<number>
      treeData={treeData}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      placeholder={placeholder}
      allowClear={allowClear}
      disabled={disabled}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      popupMatchSelectWidth={false}
      style={{ minWidth: 220, ...style }}
      data-testid={rest['data-testid']}
    />
  );
}
