// detopt command line. `detopt run` runs one optimisation (a built-in problem
// or a config file) into a run folder; `--resume DIR` continues a killed run.
import { Command, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { problemNames } from '../../pipelines/registry.ts';
import { AVERAGED_ITERATIONS, resumePipeline, runPipeline, type RunSummary } from '../../pipelines/run.ts';
import { DEFAULT_RUN, parseRunConfig, RECO_REPLAY, SURROGATES, type RunConfig } from '../../pipelines/run-config.ts';
import { initBackend } from '../backend.ts';
import { RunFolder } from '../history.ts';
import { createProgress } from './progress.ts';
import { registerCommands } from './commands.ts';

function num(field: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`--${field}: "${v}" is not a number`);
    return n;
  };
}

interface RunFlags {
  problem?: string;
  dim?: number;
  iterations?: number;
  candidates?: number;
  events?: number;
  sigma?: number;
  trustRegion?: number;
  /** commander: true for the bare flag, the mode's text when one is given */
  adaptiveTrustRegion?: boolean | string;
  replay?: number;
  stepGate?: number;
  cost?: string;
  lr?: number;
  seed?: number;
  tl?: boolean;
  simWorkers?: number;
  surrogate?: string;
  out?: string;
  backend?: string;
  json?: boolean;
  resume?: string;
  quiet?: boolean;
}

/** --adaptive-trust-region [mode]: the bare flag is the one-radius mode */
function trustFlag(v: boolean | string | undefined): boolean | 'per-parameter' | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  if (v === 'radius') return true;
  if (v === 'per-parameter') return v;
  throw new Error(`--adaptive-trust-region: "${v}" is not a mode (radius or per-parameter)`);
}

function configFrom(file: string | undefined, f: RunFlags): RunConfig {
  let base: Record<string, unknown> = {};
  if (file) {
    try {
      base = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`config file ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new Error(`config file ${file}: must hold a JSON object`);
  }
  const flags: Record<string, unknown> = {
    problem: f.problem,
    dim: f.dim,
    iterations: f.iterations,
    candidates: f.candidates,
    events: f.events,
    sigma: f.sigma,
    trustRegion: f.trustRegion,
    adaptiveTrustRegion: trustFlag(f.adaptiveTrustRegion),
    replayIterations: f.replay,
    stepGate: f.stepGate,
    cost: f.cost,
    stepLearningRate: f.lr,
    seed: f.seed,
    transferLearning: f.tl,
    simulationWorkers: f.simWorkers,
    surrogate: f.surrogate,
    backend: f.backend,
  };
  for (const k of Object.keys(flags)) if (flags[k] === undefined) delete flags[k];
  // Validate the flags on their own first, so that a mistake is named by the flag the user typed.
  try {
    parseRunConfig(flags, 'options');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const m = /^options\.(\w+)(.*)$/s.exec(message);
    const flag = m ? FLAG_OF_FIELD[m[1]!] : undefined;
    if (m && flag) throw new Error(`${flag}${m[2]}`);
    throw err;
  }
  return parseRunConfig({ ...base, ...flags }, file ? `config file ${file}` : 'options');
}

/** Run-config fields set by a flag of another name. */
const FLAG_OF_FIELD: Record<string, string> = {
  problem: '--problem', dim: '--dim', iterations: '--iterations', candidates: '--candidates', events: '--events',
  sigma: '--sigma', trustRegion: '--trust-region', adaptiveTrustRegion: '--adaptive-trust-region',
  replayIterations: '--replay', stepGate: '--step-gate', cost: '--cost', stepLearningRate: '--lr', seed: '--seed',
  transferLearning: '--tl/--no-tl', simulationWorkers: '--sim-workers', surrogate: '--surrogate', backend: '--backend',
};

/** Flags (as typed) that set a run's config: on --resume the folder's config.json holds them. */
const CONFIG_FLAGS: Record<string, string> = {
  problem: '--problem', dim: '--dim', candidates: '--candidates', events: '--events', sigma: '--sigma',
  trustRegion: '--trust-region', adaptiveTrustRegion: '--adaptive-trust-region', replay: '--replay',
  stepGate: '--step-gate', cost: '--cost', lr: '--lr', seed: '--seed', tl: '--tl/--no-tl',
  surrogate: '--surrogate', simWorkers: '--sim-workers', out: '--out',
};

/** A resumed run continues exactly: refuse flags it would otherwise silently ignore. */
function checkResumeFlags(file: string | undefined, f: RunFlags, recordedBackend: string | undefined): void {
  const given = Object.keys(CONFIG_FLAGS).filter((k) => (f as Record<string, unknown>)[k] !== undefined).map((k) => CONFIG_FLAGS[k]!);
  if (file) given.unshift(`the config file ${file}`);
  if (given.length > 0) {
    throw new Error(`--resume: ${given.join(', ')} cannot change a run being resumed (its config.json fixes them); only --iterations (to extend it), --quiet and --json apply. Start a new run with --out to change them.`);
  }
  if (f.backend !== undefined && recordedBackend !== undefined && f.backend !== recordedBackend) {
    throw new Error(`--backend: ${f.resume} was run on ${recordedBackend}; a resumed run keeps its backend (same seed and backend, same history)`);
  }
}

function printSummary(s: RunSummary, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(s, null, 2) + '\n');
    return;
  }
  const theta = Object.entries(s.finalTheta).map(([k, v]) => `${k}=${v.toPrecision(4)}`).join(' ');
  console.log(`final design: ${theta}`);
  if (s.averagedTheta) {
    const spread = s.spreadTheta;
    const avg = Object.entries(s.averagedTheta)
      .map(([k, v]) => `${k}=${v.toPrecision(4)}${spread ? ` ± ${spread[k]!.toPrecision(2)}` : ''}`)
      .join(' ');
    // ± is the spread of those designs (how far the design still moves), not an error of the mean
    console.log(`mean design of the last ${Math.min(AVERAGED_ITERATIONS, s.iterations)} iterations (± their spread): ${avg}`);
  }
  if (!s.feasible) console.log('warning: the final design violates a constraint (history.jsonl: penaltyAtNext); the problem may have no feasible design near the start');
  if (s.finalPrediction !== null) console.log(`surrogate prediction: ${s.finalPrediction.toPrecision(4)}`);
  if (s.finalTruth !== null) console.log(`true expected objective: ${s.finalTruth.toPrecision(4)} (known optimum ${s.knownOptimum?.value}, gap closed ${((s.gapClosed ?? 0) * 100).toFixed(1)} %)`);
  console.log(`backend ${s.backend}, seed ${s.seed}, ${s.wallSeconds.toFixed(1)} s${s.runDir ? `, run folder ${s.runDir}` : ''}`);
  if (s.runDir && existsSync(join(s.runDir, 'report.html'))) console.log(`report: ${join(s.runDir, 'report.html')} (open in a browser)`);
}

const program = new Command();
program.name('detopt').description('End-to-end optimisation of detector designs with local differentiable surrogates').showHelpAfterError();

program
  .command('run')
  .description(`run one optimisation: a built-in problem (${problemNames().join(', ')}) or a JSON config file`)
  .argument('[config]', 'JSON config file (fields as in the README); flags override it')
  .option('--problem <name>', `built-in problem (default ${DEFAULT_RUN.problem})`)
  .option('--dim <n>', 'dimension (analytic problems) or number of layers (calorimeter)', num('dim'))
  .option('--iterations <n>', `iterations (default ${DEFAULT_RUN.iterations})`, num('iterations'))
  .option('--candidates <K>', `candidates per iteration (default ${DEFAULT_RUN.candidates})`, num('candidates'))
  .option('--events <M>', `events per candidate (default ${DEFAULT_RUN.events})`, num('events'))
  .option('--sigma <s>', 'sampling width σ for every parameter (default: the problem’s)', num('sigma'))
  .option('--trust-region <eps>', `trust-region radius in σ (default ${DEFAULT_RUN.trustRegion})`, num('trust-region'))
  .option('--adaptive-trust-region [mode]', "shrink the trust region when steps reverse, grow it back when they continue (off by default); mode 'radius' (the bare flag) or 'per-parameter' (each parameter's own semi-axis)")
  .option('--no-adaptive-trust-region', 'keep the trust-region radius fixed (default)')
  .option('--replay <N>', `also fit the surrogate on the nearby candidates of the last N iterations (default ${RECO_REPLAY.iterations} for reco-opt with ≥ ${RECO_REPLAY.minEvents} events per candidate, otherwise ${DEFAULT_RUN.replayIterations}: off)`, num('replay'))
  .option('--step-gate <z>', `step only when the candidates' own plane predicts a gain of ≥ z standard errors (default ${DEFAULT_RUN.stepGate}: off)`, num('step-gate'))
  .option('--cost <expr>', 'mathjs expression over the parameter names added to what the step minimises, e.g. "0.01 * (abs1 + abs2 + abs3)" (a material cost: what the objective cannot tell apart, the cost decides)')
  .option('--lr <rate>', `step learning rate in σ per step (default ${DEFAULT_RUN.stepLearningRate})`, num('lr'))
  .option('--seed <n>', `master seed (default ${DEFAULT_RUN.seed})`, num('seed'))
  .option('--tl', 'transfer learning on (default)')
  .option('--no-tl', 'transfer learning off: re-initialise the surrogate every iteration')
  .addOption(new Option('--surrogate <kind>', 'surrogate').choices([...SURROGATES]))
  .option('--sim-workers <N>', 'run the simulations in N worker threads (default: in this process, one after another); the results are the same', num('sim-workers'))
  .option('--out <dir>', 'run folder (default runs/<problem>-<time>)')
  .option('--resume <dir>', 'continue the run in <dir> from its last complete iteration (with --iterations N: extend it to N)')
  .option('--backend <name>', 'force a TensorFlow.js backend: tensorflow-gpu | tensorflow | wasm | cpu (default: best available; env DETOPT_BACKEND)')
  .option('--json', 'print the final summary as JSON on stdout')
  .option('--quiet', 'no progress bar or per-iteration lines')
  .action(async (file: string | undefined, f: RunFlags) => {
    let summary: RunSummary;
    if (f.resume) {
      const folder = new RunFolder(f.resume);
      const config = parseRunConfig(folder.readConfig<unknown>(), `${f.resume}/config.json`);
      checkResumeFlags(file, f, config.backend);
      const backend = await initBackend(config.backend, { quiet: true });
      const done = folder.readCheckpoint()?.completed ?? 0;
      const total = f.iterations ?? config.iterations;
      process.stderr.write(`detopt: resuming ${f.resume} after iteration ${done} of ${total} (backend ${backend.name})\n`);
      const progress = createProgress(total, done, !!f.quiet);
      summary = await resumePipeline(f.resume, { hooks: progress.hooks, ...(f.iterations !== undefined ? { iterations: f.iterations } : {}) });
      progress.stop();
    } else {
      const config = configFrom(file, f);
      const backend = await initBackend(config.backend, { quiet: true });
      const out = f.out ?? `runs/${config.problem}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      process.stderr.write(`detopt: ${config.problem}, ${config.iterations} iterations × ${config.candidates} candidates × ${config.events} events, TL ${config.transferLearning ? 'on' : 'off'}, seed ${config.seed}, backend ${backend.name}, run folder ${out}\n`);
      const progress = createProgress(config.iterations, 0, !!f.quiet);
      summary = await runPipeline({ ...config, backend: backend.name }, { out, hooks: progress.hooks });
      progress.stop();
    }
    printSummary(summary, !!f.json);
  });

registerCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`detopt: error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
