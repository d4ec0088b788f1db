// Progress bars for the benchmark scripts, configured once. On a terminal they redraw in place;
// in a CI log or a pipe they print a line every few seconds instead (without this, cli-progress
// prints nothing while running and one stray, unformatted line at stop).
import { MultiBar, Presets, SingleBar, type Options } from 'cli-progress';

function options(format: string): Options {
  const tty = process.stderr.isTTY === true;
  return {
    format,
    stream: process.stderr,
    hideCursor: tty,
    clearOnComplete: false,
    noTTYOutput: !tty,
    notTTYSchedule: 5000,
  };
}

/** One bar, started at 0 with the given payload (the format's {tokens}). */
export function progressBar(
  format: string,
  total: number,
  payload: Record<string, unknown> = {},
): SingleBar {
  const bar = new SingleBar(options(format), Presets.shades_classic);
  bar.start(total, 0, payload);
  return bar;
}

/** Several bars sharing one format; create each with `create(total, 0, payload)`. */
export function progressBars(format: string): MultiBar {
  return new MultiBar(options(format), Presets.shades_classic);
}
