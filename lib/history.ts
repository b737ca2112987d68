// A run folder: config.json, history.jsonl (one line per completed
// iteration), checkpoint.json (what resume needs), summary.json.
// Files are replaced atomically (write to a temp file, then rename), so a run
// killed at any moment leaves a consistent folder behind.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

  /** Starts a new run; refuses to overwrite a folder that already holds one. */
  static create(dir: string, config: unknown): RunFolder {
    const folder = new RunFolder(dir);
    if (existsSync(folder.historyPath) || existsSync(folder.checkpointPath)) {
      throw new Error(`out: ${dir} already holds a run (use --resume ${dir} to continue it, or choose another --out)`);
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
