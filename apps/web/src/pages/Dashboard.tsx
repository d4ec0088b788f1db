import type { ComponentProps, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Dashboard } from '../../../../libs/domain/src/api-types';
import { api } from '../api';
import { Loading, ProblemMessage, TableHead, useFormat, useLoad } from '../components/ui';

/** Colour-blind-safe palette (Okabe-Ito), all at least 3:1 against white. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const compact = (n: number) =>
    new Intl.NumberFormat(i18n.language, { notation: 'compact' }).format(n);
  const dash = useLoad(() => api<Dashboard>('GET', '/dashboard'), []);
  if (dash.error) return <ProblemMessage error={dash.error} />;
  if (!dash.data) return <Loading />;
  const d = dash.data;

  const byStatus = d.requestsByStatus.map((s) => ({
    name: t(`status.${s.status}`),
    count: s.count,
  }));
  const times = d.responseTimes.map((r) => ({
    name: r.country,
    average: r.averageDays,
    median: r.medianDays,
  }));
  const currencies = [...new Set(d.assets.map((a) => a.currency).filter((c): c is string => !!c))];
  const statuses = [...new Set(d.assets.map((a) => a.status))];
  // One bar group per asset status; one bar per currency (values in different currencies are
  // never added together).
  const values = statuses.map((status) => ({
    name: t(`status.${status}`),
    ...Object.fromEntries(
      currencies.map((c) => [
        c,
        Number(d.assets.find((a) => a.status === status && a.currency === c)?.amount ?? 0),
      ]),
    ),
  }));
  const counts = statuses.map((status) => ({
    name: t(`status.${status}`),
    count: d.assets.filter((a) => a.status === status).reduce((n, a) => n + a.count, 0),
  }));

  return (
    <section aria-labelledby="dash-title">
      <h1 id="dash-title">{t('dashboard.title')}</h1>
      <p className="muted">{t('dashboard.scope', { at: fmt.dateTime(d.generatedAt) })}</p>
      <div className="charts">
        <Chart
          title={t('dashboard.byStatus')}
          id="chart-status"
          data={byStatus}
          xAxis={{ interval: 0, angle: -30, textAnchor: 'end', height: 70 }}
          yAxis={{ allowDecimals: false }}
        >
          <Bar dataKey="count" name={t('dashboard.requests')} fill={COLOURS[0]} />
        </Chart>
        <Chart
          title={t('dashboard.responseTimes')}
          id="chart-times"
          data={times}
          yAxis={{ unit: t('dashboard.daysUnit') }}
          legend
        >
          <Bar dataKey="average" name={t('dashboard.average')} fill={COLOURS[0]} />
          <Bar dataKey="median" name={t('dashboard.median')} fill={COLOURS[1]} />
        </Chart>
        <Chart
          title={t('dashboard.assetCounts')}
          id="chart-asset-counts"
          data={counts}
          yAxis={{ allowDecimals: false }}
        >
          <Bar dataKey="count" name={t('dashboard.assets')} fill={COLOURS[2]} />
        </Chart>
        <Chart
          title={t('dashboard.assetValues')}
          id="chart-asset-values"
          data={values}
          empty={currencies.length === 0}
          yAxis={{ width: 72, tickFormatter: compact }}
          legend
        >
          {currencies.map((c, i) => (
            <Bar key={c} dataKey={c} name={c} fill={COLOURS[i % COLOURS.length]} />
          ))}
        </Chart>
      </div>

      {/* The same figures as tables: for screen readers, and for exact values. */}
      <div className="columns">
        <section className="card" aria-labelledby="times-table">
          <h2 id="times-table">{t('dashboard.responseTimes')}</h2>
          <table>
            <TableHead
              columns={[
                t('tracks.country'),
                t('dashboard.tracks'),
                t('dashboard.answered'),
                t('dashboard.open'),
                t('dashboard.overdue'),
                t('dashboard.average'),
                t('dashboard.median'),
              ]}
            />
            <tbody>
              {d.responseTimes.map((r) => (
                <tr key={r.country}>
                  <th scope="row">{r.country}</th>
                  <td>{r.tracks}</td>
                  <td>{r.answered}</td>
                  <td>{r.open}</td>
                  <td>{r.overdue}</td>
                  <td>{r.averageDays ?? '—'}</td>
                  <td>{r.medianDays ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card" aria-labelledby="assets-table">
          <h2 id="assets-table">{t('dashboard.assetValues')}</h2>
          <table>
            <TableHead columns={[t('assets.status'), t('dashboard.assets'), t('assets.value')]} />
            <tbody>
              {d.assets.map((a) => (
                <tr key={`${a.status}-${a.currency ?? ''}`}>
                  <td>{t(`status.${a.status}`)}</td>
                  <td>{a.count}</td>
                  <td>{a.amount && a.currency ? fmt.money(a.amount, a.currency) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </section>
  );
}

/** A bar chart of `data` by name, on a grid, with a tooltip; `children` are its bars. */
function Chart({
  title,
  id,
  data,
  empty = data.length === 0,
  xAxis,
  yAxis,
  legend,
  children,
}: {
  title: string;
  id: string;
  data: object[];
  empty?: boolean;
  xAxis?: ComponentProps<typeof XAxis>;
  yAxis: ComponentProps<typeof YAxis>;
  legend?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <figure className="card chart" aria-labelledby={id} data-chart={id}>
      <figcaption id={id}>{title}</figcaption>
      {empty ? (
        <p className="muted">{t('dashboard.noData')}</p>
      ) : (
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data} accessibilityLayer>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" {...xAxis} />
            <YAxis {...yAxis} />
            <Tooltip />
            {legend ? <Legend /> : null}
            {children}
          </BarChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
