// Runs one program with JSON on stdin and collects its stdout, for the external-command simulator.
// The program gets its own process group (POSIX), so that a timeout, or detopt itself being
// stopped, ends everything it started: a shell wrapper's `sleep`, a Python subprocess, `srun`.
// Killing only the direct child would leave those running, and detopt would wait for the pipes
// they hold open (measured before this file: `sh -c "sleep 30"` with a 2 s timeout took 36 s).
import { spawn, type ChildProcess } from 'node:child_process';

/** How much of a failing program's stderr goes into the error message. */
const STDERR_TAIL = 600;
/** After the program exits, how long a process it left behind may keep its stdout open. */
const CLOSE_GRACE_MS = 2000;
const OWN_GROUP = process.platform !== 'win32';

/** Process groups of the programs running now, ended when detopt exits or is stopped. */
const running = new Set<number>();
let cleanupInstalled = false;

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (OWN_GROUP) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // the group has already ended
  }
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const killAll = () => {
    for (const pgid of running) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already ended
      }
    }
    running.clear();
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // once: after cleaning up, re-raise the signal so that its usual effect (ending detopt) follows
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

/**
 * Runs `command` with `input` on stdin; resolves with its stdout when it exits with 0, and
 * rejects with the exit code, the signal, the timeout or "not found", plus the end of stderr.
 */
export function runProgram(command: readonly string[], input: string, timeoutMs: number, cwd?: string): Promise<string> {
  const [program, ...args] = command;
  return new Promise((resolve, reject) => {
    if (OWN_GROUP) installCleanup();
    const child = spawn(program!, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: OWN_GROUP });
    if (OWN_GROUP && child.pid !== undefined) running.add(child.pid);
    const out: Buffer[] = [];
    let err = '';
    let timedOut = false;
    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    const settle = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      killGroup(child); // whatever it left running in its group
      if (child.pid !== undefined) running.delete(child.pid);
      const tail = err.trim() ? `; stderr: …${err.trim()}` : '';
      if (timedOut) reject(new Error(`command timed out after ${timeoutMs / 1000} s and was killed${tail}`));
      else if (signal) reject(new Error(`command was killed by ${signal}${tail}`));
      else if (code !== 0) reject(new Error(`command exited with code ${code}${tail}`));
      else resolve(Buffer.concat(out).toString('utf8'));
    };
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => {
      err = (err + d.toString('utf8')).slice(-STDERR_TAIL);
    });
    child.stdin!.on('error', () => {}); // a program that exits without reading its input: its exit status tells
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.pid !== undefined) running.delete(child.pid);
      reject(new Error(e.code === 'ENOENT' ? `command: program "${program}" not found` : `command: ${e.message}`));
    });
    // 'close' waits until every holder of the pipes has closed them; a process the program left
    // in the background may never do so, so 'exit' plus a grace period settles it too.
    child.on('exit', (code, signal) => {
      grace = setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
        settle(code, signal);
      }, CLOSE_GRACE_MS);
    });
    child.on('close', (code, signal) => settle(code, signal));
    child.stdin!.end(input);
  });
}
