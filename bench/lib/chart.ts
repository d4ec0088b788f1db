// The growth chart as SVG, from a Vega-Lite spec rendered headless by Vega (no browser, no
// canvas: its SVG renderer needs neither). Both are ESM-only with top-level await, so neither
// require() nor the require() that swc compiles import() into can load them: a native import()
// kept out of swc's sight does.
const nativeImport = new Function('id', 'return import(id)') as <T>(id: string) => Promise<T>;
interface Level {
  inFlight: number;
  journeysPerSecond: number;
  allCalls: { p99: number };
  journeyMs: { p50: number };
  cpuPercent: Record<string, number>;
}

export async function renderChart(
  levels: Level[],
  machine: { cores: number; memoryGiB: number; date: string },
): Promise<string> {
  const vega = await nativeImport<typeof import('vega')>('vega');
  const vl = await nativeImport<typeof import('vega-lite')>('vega-lite');
  const rates = levels.map((l) => ({
    inFlight: String(l.inFlight),
    'journeys/s': l.journeysPerSecond,
    'p99 of API calls (ms)': l.allCalls.p99,
  }));
  const cpu = levels.flatMap((l) =>
    Object.entries(l.cpuPercent).map(([process, percent]) => ({
      inFlight: String(l.inFlight),
      process,
      percent,
    })),
  );
  const x = {
    field: 'inFlight',
    type: 'ordinal',
    sort: null,
    title: 'journeys in flight',
  } as const;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'silvertrace journeys: growth with load',
      subtitle: `${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.date.slice(0, 10)}`,
    },
    background: 'white',
    hconcat: [
      {
        width: 320,
        height: 240,
        data: { values: rates },
        layer: [
          {
            mark: { type: 'line', point: true, color: '#1f77b4' },
            encoding: {
              x,
              y: {
                field: 'journeys/s',
                type: 'quantitative',
                axis: { titleColor: '#1f77b4' },
              },
            },
          },
          {
            mark: { type: 'line', point: true, color: '#d62728', strokeDash: [4, 3] },
            encoding: {
              x,
              y: {
                field: 'p99 of API calls (ms)',
                type: 'quantitative',
                axis: { titleColor: '#d62728' },
              },
            },
          },
        ],
        resolve: { scale: { y: 'independent' } },
      },
      {
        width: 320,
        height: 240,
        data: { values: cpu },
        mark: 'bar',
        encoding: {
          x,
          xOffset: { field: 'process' },
          y: { field: 'percent', type: 'quantitative', title: 'CPU (% of one core)' },
          color: { field: 'process', type: 'nominal' },
        },
      },
    ],
  };
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  return view.toSVG();
}
