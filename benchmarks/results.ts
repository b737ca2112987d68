// Writes one benchmark's table into benchmarks/RESULTS.md between its own
// markers, so benchmarks can run in any order without clobbering each other.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

const RESULTS = new URL('./RESULTS.md', import.meta.url).pathname;

export function machineLine(backend?: string): string {
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  const mem = (totalmem() / 2 ** 30).toFixed(0);
  return `${cpu}, ${cpus().length} cores, ${mem} GiB, Node ${process.version}${backend ? `, tfjs backend ${backend}` : ''}`;
}

/**
 * Replaces (or appends) the section `id` of RESULTS.md.
 * @param command the exact command that reproduces the numbers
 */
export function writeSection(id: string, title: string, command: string, body: string, backend?: string): void {
  const begin = `<!-- begin ${id} -->`;
  const end = `<!-- end ${id} -->`;
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const block = [
    begin,
    `## ${title}`,
    '',
    `Command: \`${command}\`  `,
    `Date: ${date}  `,
    `Machine: ${machineLine(backend)}`,
    '',
    body.trim(),
    end,
  ].join('\n');
  let text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n\nEvery table below was written by the script named in its command line.\n';
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) text = text.slice(0, i) + block + text.slice(j + end.length);
  else text = text.trimEnd() + '\n\n' + block + '\n';
  writeFileSync(RESULTS, text);
}

/**
 * What else ran on the machine, measured rather than assumed: the 1-minute load average before
 * the run (pass `loadAtStart()`) and at its end, where the run's own threads count too.
 */
export function loadLine(start: number): string {
  // No verdict: the 1-minute average lags by about a minute, so it cannot tell another job
  // from the tail of the previous one.
  return `Load average (1 min) ${start.toFixed(2)} before the run, ${loadavg()[0]!.toFixed(2)} at its end (its own threads included), on ${cpus().length} cores.`;
}

/** The 1-minute load average, to hand to loadLine at the end. */
export const loadAtStart = (): number => loadavg()[0]!;

/** Formats rows as a Markdown table. */
export function table(header: string[], rows: (string | number)[][]): string {
  const fmt = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v);
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(fmt).join(' | ')} |`),
  ].join('\n');
}

/** A progress logger for long benchmarks: "[elapsed s] message" on stderr. */
export function stageLogger(): (message: string) => void {
  const t0 = performance.now();
  return (message) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(0)} s] ${message}\n`);
}

/** An integer flag of a benchmark's command line (`--events 5000`), checked against a minimum. */
export function integerFlag(args: readonly string[], flag: string, fallback: number, min: number): number {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < min) throw new Error(`${flag}: must be an integer ≥ ${min} (got ${args[i + 1]})`);
  return v;
}
