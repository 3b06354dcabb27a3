// A small builder of Grafana dashboard JSON (schema 39): rows of time-series and stat panels on a
// Prometheus data source chosen by the dashboard's `datasource` variable.

export type Unit = 'reqps' | 'ops' | 's' | 'percentunit' | 'short' | 'bytes' | 'percent' | 'none';

export interface Query {
  readonly expr: string;
  readonly legend?: string;
}

export interface PanelSpec {
  readonly title: string;
  readonly description?: string;
  readonly kind?: 'timeseries' | 'stat';
  readonly unit?: Unit;
  readonly queries: readonly Query[];
  /** Stat panels: value above which the panel turns red (and orange at `warn`). */
  readonly thresholds?: { readonly warn?: number; readonly critical: number };
  /** Width in grid units (24 per row); default 12 for time series, 6 for stats. */
  readonly width?: number;
}

export interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

export interface DashboardSpec {
  /** File name under deploy/grafana/ without `.json`; also the dashboard uid. */
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly rows: readonly RowSpec[];
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

function panelJson(spec: PanelSpec, id: number, gridPos: { x: number; y: number; w: number; h: number }): Record<string, unknown> {
  const kind = spec.kind ?? 'timeseries';
  const steps: Array<{ color: string; value: number | null }> = [{ color: 'green', value: null }];
  if (spec.thresholds?.warn !== undefined) steps.push({ color: 'orange', value: spec.thresholds.warn });
  if (spec.thresholds !== undefined) steps.push({ color: 'red', value: spec.thresholds.critical });
  return {
    id,
    type: kind,
    title: spec.title,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    datasource: DATASOURCE,
    gridPos,
    fieldConfig: {
      defaults: {
        unit: spec.unit ?? 'short',
        thresholds: { mode: 'absolute', steps },
        ...(kind === 'timeseries' ? { custom: { lineWidth: 1, fillOpacity: 10, showPoints: 'never' } } : {}),
      },
      overrides: [],
    },
    options:
      kind === 'stat'
        ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'area', textMode: 'auto' }
        : { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
    targets: spec.queries.map((query, index) => ({
      datasource: DATASOURCE,
      refId: String.fromCharCode(65 + index),
      expr: query.expr,
      legendFormat: query.legend ?? '__auto',
      range: true,
    })),
  };
}

/** The dashboard's JSON model, laid out row by row (panels wrap at 24 grid units). */
export function dashboardJson(spec: DashboardSpec): Record<string, unknown> {
  const panels: Array<Record<string, unknown>> = [];
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const panel of row.panels) {
      const kind = panel.kind ?? 'timeseries';
      const w = panel.width ?? (kind === 'stat' ? 6 : 12);
      const h = kind === 'stat' ? 4 : 8;
      if (x + w > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      panels.push(panelJson(panel, id++, { x, y, w, h }));
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  return {
    uid: spec.file,
    title: spec.title,
    description: spec.description,
    tags: [...spec.tags],
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    timezone: 'utc',
    templating: {
      list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', current: {}, hide: 0 }],
    },
    annotations: { list: [] },
    links: [],
    panels,
  };
}

/** Every PromQL expression of a dashboard JSON model, with the panel it belongs to. */
export function dashboardQueries(dashboard: unknown): Array<{ readonly panel: string; readonly expr: string }> {
  interface PanelLike {
    readonly title?: unknown;
    readonly targets?: unknown;
    readonly panels?: unknown;
  }
  const found: Array<{ panel: string; expr: string }> = [];
  const asPanels = (value: unknown): PanelLike[] => (Array.isArray(value) ? (value as PanelLike[]) : []);
  for (const panel of asPanels((dashboard as { panels?: unknown }).panels)) {
    for (const candidate of [panel, ...asPanels(panel.panels)]) {
      const targets: unknown = candidate.targets;
      if (!Array.isArray(targets)) continue;
      for (const target of targets as Array<{ expr?: unknown }>) {
        if (typeof target.expr === 'string') found.push({ panel: typeof candidate.title === 'string' ? candidate.title : '(untitled)', expr: target.expr });
      }
    }
  }
  return found;
}
