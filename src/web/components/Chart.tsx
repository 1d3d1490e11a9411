import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/index.js';

// The one chart library of the web app (ECharts), wrapped once: a chart owns an
// instance for its lifetime, follows its container's size, and prints.
// Only the parts the pages use are registered, to keep the bundle small.
// SVG rather than canvas: it stays sharp on a projector and in print.
use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

interface Props {
  option: ChartOption;
  height?: number;
  /** What the chart shows, for screen readers and tests. */
  label: string;
  'data-testid'?: string;
}

export function Chart({ option, height = 320, label, ...rest }: Props) {
  const { lang } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  // One instance per element and language (ECharts takes its locale at init).
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const instance = init(el, undefined, { renderer: 'svg', locale: lang === 'en' ? 'EN' : 'ZH' });
    chart.current = instance;
    const resize = () => instance.resize();
    const observer = new ResizeObserver(resize);
    observer.observe(el);
    // The printed page is narrower than the screen, and no resize event comes before it is laid out.
    window.addEventListener('beforeprint', resize);
    window.addEventListener('afterprint', resize);
    return () => {
      observer.disconnect();
      window.removeEventListener('beforeprint', resize);
      window.removeEventListener('afterprint', resize);
      instance.dispose();
      chart.current = null;
    };
  }, [lang]);

  useEffect(() => {
    // No animation: the charts are read, on screen, on a projector and on paper, not watched.
    chart.current?.setOption({ aria: { enabled: true }, animation: false, ...option }, { notMerge: true });
  }, [option, lang]);

  return <div ref={box} role="img" aria-label={label} className="suqiu-chart" style={{ width: '100%', height }} data-testid={rest['data-testid']} />;
}
