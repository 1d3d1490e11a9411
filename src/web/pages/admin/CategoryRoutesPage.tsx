import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Table, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { DEMAND_CATEGORIES } from '../../../shared/codes.js';
import { listUnits } from '../../api/client.js';
import { listCategoryRoutes, setCategoryRoute, type CategoryRoute } from '../../api/settings.js';
import { FormModal } from '../../components/FormModal.js';
import { LoadError } from '../../components/StatusPages.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { useDemandLabels } from '../demands/labels.js';

type Category = CategoryRoute['category'];
interface Row {
  category: Category;
  route: CategoryRoute | undefined;
}

/** 分类归口: which department a new demand of each category goes to by default. */
export default function CategoryRoutesPage() {
  const { t } = useI18n();
  const labels = useDemandLabels();
  const { message } = App.useApp();
  const routes = useLoad(listCategoryRoutes);
  const units = useLoad(listUnits);
  const [editing, setEditing] = useState<Row | null>(null);
  const [form] = Form.useForm<{ unitId: number | null }>();

  useEffect(() => {
    if (editing) form.setFieldsValue({ unitId: editing.route?.unitId ?? null });
  }, [editing, form]);

  // Every category is listed, routed or not: an unrouted one is what the admin must see first.
  const rows: Row[] = DEMAND_CATEGORIES.map((category) => ({ category, route: routes.data?.find((r) => r.category === category) }));
  const columns: TableColumnsType<Row> = [
    { title: t('route.category'), key: 'category', render: (_, r) => labels.category(r.category) },
    {
      title: t('route.unit'),
      key: 'unit',
      render: (_, r) =>
        r.route ? <span data-testid="route-unit">{r.route.unitName}</span> : <Typography.Text type="warning">{t('common.none')}</Typography.Text>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, r) => (
        <Button size="small" type="link" onClick={() => setEditing(r)} data-testid="route-change">
          {t('route.change')}
        </Button>
      ),
    },
  ];

  const submit = async ({ unitId }: { unitId: number | null }) => {
    if (!editing) return;
    if (unitId === null) return form.setFields([{ name: 'unitId', errors: [t('common.required')] }]);
    await setCategoryRoute(editing.category, unitId);
    void message.success(t('route.saved'));
    setEditing(null);
    routes.reload();
  };

  const error = routes.error ?? units.error;
  if (error && !routes.data) return <LoadError error={error} onRetry={routes.error ? routes.reload : units.reload} />;
  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary">{t('route.hint')}</Typography.Text>
        <Button icon={<ReloadOutlined />} onClick={routes.reload}>
          {t('common.refresh')}
        </Button>
      </Flex>
      <Table<Row>
        rowKey="category"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={routes.loading}
        pagination={false}
        onRow={(r) => ({ 'data-testid': 'route-row', 'data-category': r.category }) as HTMLAttributes<HTMLElement>}
        data-testid="routes-table"
      />
      <FormModal
        form={form}
        open={editing !== null}
        title={t('route.title', { category: editing ? labels.category(editing.category) : '' })}
        onCancel={() => setEditing(null)}
        onSubmit={submit}
        testId="route-form"
      >
        <Form.Item name="unitId" label={t('route.unit')} rules={[{ required: true, message: t('common.required') }]}>
          <UnitTreeSelect units={units.data ?? []} data-testid="route-unit-select" />
        </Form.Item>
      </FormModal>
    </>
  );
}
