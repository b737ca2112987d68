// A simulator that is another program (a Geant4 application, a Python script, …), run once per
// candidate design. The protocol is one JSON document each way:
//   stdin  ← {"theta": {"<name>": value, …}, "events": M, "seed": <integer 0 … 2³²−1>}
//   stdout → {"x": [[…], …], "y": [[…], …]}   (M rows each: truth x and response y per event;
//                                              a flat list is one column; lines printed before
//                                              it are ignored when the JSON is the last line)
// The program should draw its random numbers from `seed`, so that a run is reproducible. Anything
// it prints to stderr is kept for the error message when it fails. Runs are asynchronous, so an
// executor with concurrency > 1 keeps several programs running at once.
import type { EventBatch, Simulator } from '../contracts.ts';
import type { Rng } from '../random.ts';
import { runProgram } from './run-program.ts';

export interface ExternalCommandOptions {
  /** the program and its arguments (no shell: an argument with spaces stays one argument) */
  command: readonly string[];
  /** names of the design parameters, in θ order (the keys of the request's "theta") */
  parameterNames: readonly string[];
  /** working directory of the program (default: this process's) */
  cwd?: string;
  /** a run that takes longer is killed and reported as failed (default 3600 s) */
  timeoutSeconds?: number;
  /** names of the truth and response columns, for records and plots (default x0…, y0…) */
  xNames?: readonly string[];
  yNames?: readonly string[];
}

export class ExternalCommandSimulator implements Simulator {
  readonly name: string;
  readonly xNames: readonly string[];
  readonly yNames: readonly string[];
  private readonly timeoutMs: number;

  constructor(private readonly options: ExternalCommandOptions) {
    if (!Array.isArray(options.command) || options.command.length === 0 || options.command.some((a) => typeof a !== 'string' || a === '')) {
      throw new Error('command: give the program and its arguments as a non-empty list of non-empty strings, e.g. ["python3", "sim.py"]');
    }
    const timeout = options.timeoutSeconds ?? 3600;
    if (!(timeout > 0)) throw new Error(`timeoutSeconds: ${timeout} is not a positive number`);
    this.timeoutMs = timeout * 1000;
    this.name = `command: ${options.command.join(' ')}`;
    this.xNames = options.xNames ?? [];
    this.yNames = options.yNames ?? [];
  }

  async simulate(theta: readonly number[], nEvents: number, rng: Rng): Promise<EventBatch> {
    const names = this.options.parameterNames;
    if (theta.length !== names.length) throw new Error(`theta: ${theta.length} values for ${names.length} parameters (${names.join(', ')})`);
    const request = {
      theta: Object.fromEntries(names.map((n, i) => [n, theta[i]!])),
      events: nEvents,
      seed: rng.int32() >>> 0,
    };
    const stdout = await this.run(JSON.stringify(request) + '\n');
    return parseEvents(stdout, [...theta], nEvents);
  }

  /** Runs the program once with `input` on stdin; resolves with its stdout when it exits with 0. */
  private run(input: string): Promise<string> {
    return runProgram(this.options.command, input, this.timeoutMs, this.options.cwd);
  }
}

/**
 * The JSON document of the output: all of stdout, or else its last non-empty line, so that a
 * program that prints a banner or log lines first (Geant4 writes G4cout to stdout) still works.
 */
function parseOutputJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const last = lines[lines.length - 1];
    if (last !== undefined && lines.length > 1) {
      try {
        return JSON.parse(last);
      } catch {
        // reported below
      }
    }
    const start = text.trim().slice(0, 120);
    throw new Error(`output: neither all of stdout nor its last line is one JSON document ({"x": [...], "y": [...]}); it begins ${start ? JSON.stringify(start) : 'empty'}`);
  }
}

/** The program's output → an EventBatch; errors name the field, row and column. */
export function parseEvents(text: string, theta: number[], nEvents: number): EventBatch {
  const doc = parseOutputJson(text);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('output: expected a JSON object with "x" and "y"');
  const { x, y } = doc as Record<string, unknown>;
  const xs = columns(x, 'x', nEvents);
  const ys = columns(y, 'y', nEvents);
  return { theta, n: nEvents, x: xs.data, xDim: xs.dim, y: ys.data, yDim: ys.dim };
}

function columns(value: unknown, field: string, n: number): { data: Float32Array; dim: number } {
  if (!Array.isArray(value)) throw new Error(`output.${field}: expected a list of ${n} events, got ${value === undefined ? 'nothing' : typeof value}`);
  if (value.length !== n) throw new Error(`output.${field}: ${value.length} events, ${n} requested`);
  const flat = value.length === 0 || !Array.isArray(value[0]);
  const dim = flat ? 1 : (value[0] as unknown[]).length;
  if (dim === 0) throw new Error(`output.${field}[0]: an event needs at least one column`);
  const data = new Float32Array(n * dim);
  for (let e = 0; e < n; e++) {
    const row = flat ? [value[e]] : value[e];
    if (!Array.isArray(row) || row.length !== dim) throw new Error(`output.${field}[${e}]: expected ${flat ? 'a number' : `${dim} columns like event 0`}`);
    for (let c = 0; c < dim; c++) {
      const v = row[c];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`output.${field}[${e}]${flat ? '' : `[${c}]`}: ${typeof v === 'number' ? String(v) : JSON.stringify(v)} is not a finite number`);
      data[e * dim + c] = v;
    }
  }
  return { data, dim };
}
