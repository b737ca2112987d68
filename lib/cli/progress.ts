// Progress on stderr: a bar over iterations (with the current stage) and one
// summary line per iteration. Works when stderr is not a terminal
// (cli-progress prints nothing there unless noTTYOutput is set).
import cliProgress from 'cli-progress';
import type { IterationRecord, LoopHooks, Stage } from '../loop.ts';

export interface Progress {
  hooks: LoopHooks;
  stop(): void;
}

export function formatIteration(r: IterationRecord): string {
  const theta = `θ=[${r.thetaNext.map((v) => v.toPrecision(4)).join(', ')}]`;
  const truth = r.truth ? ` true=${r.truth.atNext.toPrecision(4)}` : '';
  const failed = r.failed.length ? ` failed=${r.failed.length}` : '';
  return `iter ${String(r.iteration + 1).padStart(3)}  δ̄=${r.delta.mean.toPrecision(4)}  pred=${r.prediction.atNext.toPrecision(4)}${truth}  ${theta}  (${r.step.steps} steps, ${r.step.stopReason}, ${r.timings.total.toFixed(1)} s${failed})`;
}

export function createProgress(total: number, done: number, quiet: boolean): Progress {
  if (quiet) return { hooks: {}, stop: () => {} };
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 10000,
      hideCursor: false,
      clearOnComplete: false,
      format: 'detopt [{bar}] {value}/{total} iterations | {stage} | ETA {eta_formatted}',
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(total, done, { stage: 'starting' });
  return {
    hooks: {
      onStage: (_it: number, stage: Stage) => bar.update({ stage }),
      onIteration: (r: IterationRecord) => {
        // MultiBar.log redraws the bar below the line on a terminal; elsewhere write the line plainly.
        if (process.stderr.isTTY) multi.log(formatIteration(r) + '\n');
        else process.stderr.write(formatIteration(r) + '\n');
        bar.update(r.iteration + 1, { stage: 'done' });
      },
    },
    stop: () => multi.stop(),
  };
}
