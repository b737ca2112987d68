// `detopt study base|transfer|energy`: the calorimeter studies of seed 002
// (Section V) over several seeds, with mean ± std aggregates and plots.
//   detopt study base --objective reco --layers 1,2,3 --seeds 3
//   detopt study transfer --objective reco --events 700,50,5 --seeds 3
//   detopt study energy --objective mi,reco --layers 1,3 --seeds 3
import type { Command } from 'commander';
import { join } from 'node:path';
import { runStudy } from '../../pipelines/studies/run-study.ts';
import { DEFAULT_LAYERS, OBJECTIVES, planStudy, TRANSFER_EVENTS, type ObjectiveName, type StudyName, type StudyOptions } from '../../pipelines/studies/study-spec.ts';
import type { StudySummary } from '../../pipelines/studies/study-output.ts';
import { initBackend } from '../backend.ts';
import { RECO_REPLAY } from '../../pipelines/run-config.ts';

export interface StudyFlags {
  objective?: string;
  layers?: string;
  events?: string;
  seeds?: string;
  seed?: string;
  out?: string;
  iterations?: string;
  candidates?: string;
  replay?: string;
  stepGate?: string;
  cost?: string;
  problem?: string;
  backend?: string;
  quiet?: boolean;
  json?: boolean;
}

/** `--layers 1,2,3` → [1, 2, 3]; every entry a positive integer, else an error naming the flag. */
export function parseIntList(text: string, flag: string, min = 1): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) throw new Error(`--${flag}: "${text}" is not a comma-separated list of integers`);
  return parts.map((p) => {
    const n = Number(p);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${flag}: "${p}" is not an integer >= ${min}`);
    return n;
  });
}

function parseInteger(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min) throw new Error(`--${flag}: "${text}" is not an integer >= ${min}`);
  return n;
}

export function parseObjectives(text: string): ObjectiveName[] {
  const parts = text.split(',').map((s) => s.trim());
  for (const p of parts) {
    if (!(OBJECTIVES as readonly string[]).includes(p)) throw new Error(`--objective: "${p}" is not an objective (choose from ${OBJECTIVES.join(', ')})`);
  }
  return [...new Set(parts)] as ObjectiveName[];
}

/** Flags → study options (validated: errors name the flag). */
export function studyOptionsFromFlags(study: StudyName, f: StudyFlags): StudyOptions {
  const o: StudyOptions = {
    study,
    objectives: parseObjectives(f.objective ?? OBJECTIVES.join(',')),
    seeds: f.seeds !== undefined ? parseInteger(f.seeds, 'seeds', 1) : 3,
    firstSeed: f.seed !== undefined ? parseInteger(f.seed, 'seed', -(2 ** 31)) : 1,
  };
  if (f.layers !== undefined) o.layers = parseIntList(f.layers, 'layers');
  if (f.events !== undefined) o.events = parseIntList(f.events, 'events');
  if (study !== 'transfer' && o.events && o.events.length > 1) throw new Error(`--events: the ${study} study takes one M, got ${o.events.join(',')}`);
  if (f.iterations !== undefined) o.iterations = parseInteger(f.iterations, 'iterations', 1);
  if (f.candidates !== undefined) o.candidates = parseInteger(f.candidates, 'candidates', 2);
  if (f.replay !== undefined) o.runOverrides = { ...o.runOverrides, replayIterations: parseInteger(f.replay, 'replay', 0) };
  if (f.stepGate !== undefined) {
    const z = Number(f.stepGate);
    if (f.stepGate.trim() === '' || !(z >= 0) || !Number.isFinite(z)) throw new Error(`--step-gate: "${f.stepGate}" is not a number >= 0`);
    o.runOverrides = { ...o.runOverrides, stepGate: z };
  }
  if (f.cost !== undefined) {
    if (f.cost.trim() === '') throw new Error('--cost: must not be empty');
    o.runOverrides = { ...o.runOverrides, cost: f.cost };
  }
  if (f.problem !== undefined) o.problem = f.problem;
  if (f.backend !== undefined) o.backend = f.backend;
  return o;
}

/** The --json output: per configuration, final mean ± std of every thickness, the sums and the objective. */
export function finalJson(s: StudySummary): unknown {
  return {
    study: s.study,
    seeds: s.seeds,
    configurations: Object.fromEntries(
      s.configurations.map((c) => [c.label, { parameters: c.final.parameters, sums: c.final.sums, objective: c.final.objective, prediction: c.final.prediction, truth: c.final.truth, seeds: c.seeds }]),
    ),
    missing: s.missing,
  };
}

const DESCRIPTIONS: Record<StudyName, string> = {
  base: 'BASE: 1, 2, 3 layers, M = 700 events, photons 1–20 GeV (seed 002, Figure 3)',
  transfer: `TRANSFER: transfer learning on and off for each M (default ${TRANSFER_EVENTS.reco.join(',')} for reco, ${TRANSFER_EVENTS.mi.join(',')} for mi; Figures 4–8)`,
  energy: 'ENERGY: photons of 1–100 GeV beside the 1–20 GeV baseline (Figure 9)',
};

export function registerStudyCommand(program: Command): void {
  const group = program.commands.find((c) => c.name() === 'study') ?? program.command('study').description('run a paper study over several seeds (mean ± std, plots)');
  for (const study of ['base', 'transfer', 'energy'] as const) {
    group
      .command(study)
      .description(DESCRIPTIONS[study])
      .option('--objective <list>', `objectives, comma-separated: ${OBJECTIVES.join(', ')} (default both)`)
      .option('--layers <list>', `calorimeter layers, comma-separated (default ${DEFAULT_LAYERS[study].join(',')})`)
      .option('--events <list>', study === 'transfer' ? 'the M values studied, comma-separated' : 'events per candidate M (default 700)')
      .option('--seeds <S>', 'runs per configuration (default 3)')
      .option('--seed <n>', 'seed of the first run; the others follow (default 1)')
      .option('--out <dir>', 'studies folder', 'runs/studies')
      .option('--iterations <n>', 'iterations per run (default: the problem’s, 30 for reco-opt and mi-opt)')
      .option('--candidates <K>', 'candidates per iteration (default 30 for reco, 117 for mi)')
      .option('--replay <N>', `also fit the surrogate on the nearby candidates of the last N iterations (default ${RECO_REPLAY.iterations} for reco with M ≥ ${RECO_REPLAY.minEvents}, otherwise 0: off)`)
      .option('--step-gate <z>', "step only when the candidates' own plane predicts a gain of >= z standard errors (default 0: off)")
      .option('--cost <expr>', 'mathjs expression over the parameter names added to what the step minimises, e.g. "0.01 * (abs1 + abs2 + abs3)"; use --out to keep such runs apart')
      .option('--problem <name>', 'run this problem instead of reco-opt / mi-opt (testing)')
      .option('--backend <name>', 'force a TensorFlow.js backend: tensorflow-gpu | tensorflow | wasm | cpu')
      .option('--quiet', 'no progress lines')
      .option('--json', 'print the final mean ± std per configuration as JSON on stdout')
      .action(async (f: StudyFlags) => {
        const plan = planStudy(studyOptionsFromFlags(study, f));
        const backend = await initBackend(f.backend, { quiet: true });
        const out = f.out ?? 'runs/studies';
        if (!f.quiet) {
          process.stderr.write(`detopt: study ${study}, ${plan.configurations.length} configurations × ${plan.seeds.length} seeds (${plan.seeds.join(',')}), backend ${backend.name}, folder ${out}/${study}\n`);
        }
        const result = await runStudy(plan, { out, progress: !f.quiet });
        if (f.json) {
          process.stdout.write(JSON.stringify(finalJson(result.summary), null, 2) + '\n');
          return;
        }
        for (const c of result.summary.configurations) {
          const p = Object.entries(c.final.parameters).map(([k, v]) => `${k}=${v.mean.toPrecision(3)}±${v.std.toPrecision(2)}`).join(' ');
          const obj = c.final.objective ? `  objective ${c.final.objective.mean.toPrecision(4)}±${c.final.objective.std.toPrecision(2)}` : '';
          console.log(`${c.label}: ${p}${obj}`);
        }
        console.log(`aggregates, plots and summary in ${result.dir}; open ${join(result.dir, 'report.html')}`);
      });
  }
}
