import { Card, Col, Descriptions, Flex, InputNumber, Row, Slider, Space, Statistic, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { getWhatIf, type SatisfactionResponse, type WhatIf } from '../../api/satisfaction.js';
import { useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';

type Elasticity = SatisfactionResponse['elasticity'];
const CATEGORIES = ['outage_voltage', 'supply_service'] as const;
const signed = (x: number) => `${x > 0 ? '+' : ''}${x}%`;

/** The elasticity card: which it shows (the seed's, or the city's estimate with its periods), each category's figure with its standard error. */
export function ElasticityCard({ elasticity }: { elasticity: Elasticity }) {
  const { t } = useI18n();
  const e = elasticity;
  const source =
    e.source === 'seed'
      ? t('satisfaction.elasticity.seed', { periods: e.periods, min: e.minPeriods })
      : t('satisfaction.elasticity.estimated', { periods: e.periods, kind: t(`satisfaction.kind.${e.kind ?? 'quarter'}`) });
  return (
    <Card size="small" title={t('satisfaction.elasticity')} data-testid="satisfaction-elasticity">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Tag color={e.source === 'seed' ? 'default' : 'blue'} data-testid="satisfaction-elasticity-source">
          {source}
        </Tag>
        <Typography.Text type="secondary">{t('satisfaction.elasticity.per')}</Typography.Text>
        <Row gutter={16}>
          {CATEGORIES.map((c) => (
            <Col span={12} key={c}>
              <Statistic title={t(`satisfaction.cat.${c}`)} value={e[c]} precision={2} suffix="%" />
              {e.fit && <Typography.Text type="secondary">{t('satisfaction.elasticity.se', { se: e.fit.standardErrors[c].toFixed(3) })}</Typography.Text>}
            </Col>
          ))}
        </Row>
        {e.fit && <Typography.Text type="secondary">{t('satisfaction.elasticity.r2', { r2: e.fit.r2.toFixed(3) })}</Typography.Text>}
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0, fontSize: 12 }}>
          {t('satisfaction.elasticity.model')}
        </Typography.Paragraph>
      </Space>
    </Card>
  );
}

/** 若停电与电压质量诉求下降10%，满意度预计上升…: the server works it out for the changes chosen here. */
export function WhatIfCard({ initial }: { initial: WhatIf }) {
  const { t } = useI18n();
  const report = useReportError();
  const [change, setChange] = useState(initial.change);
  const [answer, setAnswer] = useState<WhatIf>(initial);
  useEffect(() => {
    if (change.outage_voltage === initial.change.outage_voltage && change.supply_service === initial.change.supply_service) {
      setAnswer(initial);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      getWhatIf({ outageVoltage: change.outage_voltage, supplyService: change.supply_service }).then((w) => current && setAnswer(w), report);
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [change, initial, report]);
  const changeText = (x: number) =>
    x < 0 ? t('satisfaction.whatIf.down', { n: -x }) : x > 0 ? t('satisfaction.whatIf.up', { n: x }) : t('satisfaction.whatIf.none');
  const pct = Math.abs(answer.expectedChange).toFixed(2);
  const direction = answer.expectedChange > 0.005 ? 'rise' : answer.expectedChange < -0.005 ? 'fall' : 'same';
  return (
    <Card size="small" title={t('satisfaction.whatIf')} data-testid="satisfaction-whatif">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {CATEGORIES.map((c) => (
          <div key={c}>
            <Typography.Text>{t('satisfaction.whatIf.change', { category: t(`satisfaction.cat.${c}`) })}</Typography.Text>
            <Flex gap={12} align="center">
              <Slider
                style={{ flex: 1 }}
                min={-50}
                max={50}
                value={change[c]}
                onChange={(v: number) => setChange((old) => ({ ...old, [c]: v }))}
                tooltip={{ formatter: (v) => signed(v ?? 0) }}
                aria-label={t('satisfaction.whatIf.change', { category: t(`satisfaction.cat.${c}`) })}
              />
              <InputNumber
                min={-90}
                max={200}
                value={change[c]}
                formatter={(v) => `${v}%`}
                parser={(v) => Number((v ?? '').replace('%', ''))}
                onChange={(v) => v !== null && setChange((old) => ({ ...old, [c]: Number(v) }))}
                style={{ width: 90 }}
              />
            </Flex>
          </div>
        ))}
        <Typography.Text strong data-testid="satisfaction-whatif-sentence">
          {t('satisfaction.whatIf.sentence', {
            ov: changeText(answer.change.outage_voltage),
            ss: changeText(answer.change.supply_service),
            direction: t(`satisfaction.whatIf.${direction}`),
            pct,
          })}
        </Typography.Text>
        {answer.base && (
          <Typography.Text>
            {t('satisfaction.whatIf.base', {
              period: answer.base.period,
              overall: answer.base.overall.toFixed(2),
              expected: answer.base.expected.toFixed(2),
              points: `${answer.base.points > 0 ? '+' : ''}${answer.base.points.toFixed(2)}`,
            })}
          </Typography.Text>
        )}
        <Descriptions size="small" column={1}>
          <Descriptions.Item>
            <Typography.Text type="secondary">
              {answer.source === 'seed' ? t('satisfaction.whatIf.source.seed') : t('satisfaction.whatIf.source.estimated', { periods: answer.periods })}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      </Space>
    </Card>
  );
}
