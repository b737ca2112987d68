// Settings shared by the RESuM benchmarks on the moderator toy.

/** the true minimum of t̄_HF from the dense exact scan of benchmarks/moderator-scan.ts (RESULTS.md, 2026-11-23) */
export const TRUE_MINIMUM = 2.788e-5;

/** the active-learning run of benchmarks/resum.ts: 310 LF + 4 HF runs, 6 rounds, CNP trained 400 steps */
export const RESUM_BENCHMARK_AL = { lfRuns: 310, hfRuns: 4, rounds: 6, cnp: { steps: 400 } };
