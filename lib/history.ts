// A run folder: config.json, history.jsonl (one line per completed
// iteration), checkpoint.json (what resume needs), summary.json.
// Files are replaced atomically (write to a temp file, then rename), so a run
// killed at any moment leaves a consistent folder behind.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IterationRecord, LoopCheckpoint } from './loop.ts';

export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, null, 1));
  renameSync(tmp, path);
}

export function readJson<T>(path: string, what: string): T {
  if (!existsSync(path)) throw new Error(`${what}: ${path} does not exist`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    throw new Error(`${what}: ${path} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

export class RunFolder {
  constructor(readonly dir: string) {}

  get configPath(): string {
    return join(this.dir, 'config.json');
  }
  get historyPath(): string {
    return join(this.dir, 'history.jsonl');
  }
  get checkpointPath(): string {
    return join(this.dir, 'checkpoint.json');
  }
  get summaryPath(): string {
    return join(this.dir, 'summary.json');
  }

  /**
   * Starts a new run in `dir`, which must be new, empty, or a run that stopped before its first
   * iteration completed (config.json and an empty history.jsonl: nothing computed to lose).
   * Anything else is refused, so no file detopt did not write (a user's config.json, a study's
   * summary) is overwritten. `resumeHint` tells how to continue a run found there.
   */
  static create(dir: string, config: unknown, resumeHint = `use --resume ${dir} to continue it, or choose another --out`): RunFolder {
    const folder = new RunFolder(dir);
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw new Error(`out: ${dir} is a file, not a folder; choose another --out`);
      const entries = readdirSync(dir);
      const stillborn =
        entries.length === 2 && entries.includes('config.json') && entries.includes('history.jsonl') && statSync(folder.historyPath).size === 0;
      if (existsSync(folder.checkpointPath) || (existsSync(folder.historyPath) && !stillborn)) {
        throw new Error(`out: ${dir} already holds a run (${resumeHint})`);
      }
      if (entries.length > 0 && !stillborn) {
        const shown = entries.slice(0, 4).join(', ') + (entries.length > 4 ? ', …' : '');
        throw new Error(`out: ${dir} is not empty (${shown}); a run writes config.json, summary.json and report.html there, so choose a new or empty folder`);
      }
    }
    mkdirSync(dir, { recursive: true });
    writeJsonAtomic(folder.configPath, config);
    writeFileSync(folder.historyPath, '');
    return folder;
  }

  rewriteConfig(config: unknown): void {
    writeJsonAtomic(this.configPath, config);
  }

  readConfig<T>(): T {
    return readJson<T>(this.configPath, 'resume');
  }

  readCheckpoint(): LoopCheckpoint | null {
    return existsSync(this.checkpointPath) ? readJson<LoopCheckpoint>(this.checkpointPath, 'resume') : null;
  }

  /** The completed iterations recorded so far. */
  readHistory(): IterationRecord[] {
    if (!existsSync(this.historyPath)) return [];
    return readFileSync(this.historyPath, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l, i) => {
        try {
          return JSON.parse(l) as IterationRecord;
        } catch {
          throw new Error(`resume: line ${i + 1} of ${this.historyPath} is not valid JSON`);
        }
      });
  }

  /**
   * Keeps only the first `completed` history lines: a run killed after writing
   * a line but before its checkpoint re-runs that iteration on resume.
   */
  truncateHistory(completed: number): void {
    const lines = existsSync(this.historyPath) ? readFileSync(this.historyPath, 'utf8').split('\n').filter((l) => l.trim() !== '') : [];
    const kept = lines.slice(0, completed);
    const tmp = `${this.historyPath}.tmp-${process.pid}`;
    writeFileSync(tmp, kept.map((l) => l + '\n').join(''));
    renameSync(tmp, this.historyPath);
  }

  appendIteration(record: IterationRecord): void {
    appendFileSync(this.historyPath, JSON.stringify(record) + '\n');
  }

  writeCheckpoint(checkpoint: LoopCheckpoint): void {
    writeJsonAtomic(this.checkpointPath, checkpoint);
  }

  writeSummary(summary: unknown): void {
    writeJsonAtomic(this.summaryPath, summary);
  }
}
