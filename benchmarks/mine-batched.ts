// Speed of one MI-OPT objective step: K = 117 candidates × M = 700 events
// (seed 002, Table 2), each with its own MINE estimator.
//  - batched over worker threads (the default MineObjective path),
//  - batched in one thread,
//  - one after another (the same code with K = 1; a subset timed, extrapolated),
//  - the reference settings without early stopping (200 epochs) on a subset.
// The candidates are Gaussians with ρ_k spread over [0.5, 0.95], so every
// estimate has an exact answer and "equal accuracy" is checked, not assumed.
//
// Usage: npx tsx benchmarks/mine-batched.ts [--quick]
import { initBackend, backendInfo } from '../lib/backend.ts';
import { Rng } from '../lib/random.ts';
import { tf } from '../lib/tf.ts';
import { MineObjective, defaultWorkers, memberSeeds, resolveMineOptions, type MineDataset, type MineEstimate } from '../objectives/mine.ts';
import { trainMembers } from '../objectives/mine-train.ts';
import type { Candidate } from '../lib/contracts.ts';
import { loadAtStart, loadLine, table, writeSection } from './results.ts';
import { gaussianPair } from './functions/gaussian-pair.ts';

const quick = process.argv.includes('--quick');
const K = quick ? 24 : 117;
const M = 700;
const SEQ = quick ? 3 : 10; // sequential subset, extrapolated to K
const REF_SUBSET = quick ? 4 : 12; // 200-epoch subset
const load0 = loadAtStart();
await initBackend();
const workers = defaultWorkers();

const rhos = Array.from({ length: K }, (_, k) => 0.5 + (0.45 * k) / Math.max(1, K - 1));
const exact = rhos.map((r) => -0.5 * Math.log(1 - r * r));
const dataRng = new Rng('mine-batched/data');
const datasets: MineDataset[] = rhos.map((rho) => gaussianPair(rho, M, dataRng));
const candidates: Candidate[] = datasets.map((d, k) => ({ index: k, theta: [rhos[k]!], batch: { theta: [rhos[k]!], n: M, x: d.a, xDim: 1, y: d.b, yDim: 1 } }));

const meanAbsErr = (mi: number[], idx: number[]) => idx.reduce((s, i) => s + Math.abs(mi[i]! - exact[i]!), 0) / idx.length;
const meanErr = (mi: number[], idx: number[]) => idx.reduce((s, i) => s + (mi[i]! - exact[i]!), 0) / idx.length;
const all = Array.from({ length: K }, (_, k) => k);
const rows: (string | number)[][] = [];

// 1. the objective as MI-OPT calls it: batched, worker threads (pool started before the clock: it lives across iterations)
/** CPU seconds of this process (all threads, workers included) since `from`. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
};
const obj = new MineObjective({ workers });
await obj.evaluate(candidates.slice(0, 2).map((c) => ({ ...c })), { rng: new Rng('warm'), warmStart: false, iteration: -1 }).catch(() => undefined);
let t0 = performance.now();
let c0 = process.cpuUsage();
const resW = await obj.evaluate(candidates, { rng: new Rng('mine-batched'), warmStart: false, iteration: 0 });
const tWorkers = (performance.now() - t0) / 1000;
const cWorkers = cpuSince(c0);
obj.dispose();
rows.push([`batched, ${workers} worker threads (MineObjective)`, K, tWorkers.toFixed(1), cWorkers.toFixed(1), (resW.info!.mineMeanEpochs ?? 0).toFixed(0), meanErr(resW.perCandidate, all).toFixed(4), meanAbsErr(resW.perCandidate, all).toFixed(4)]);
console.log(rows[rows.length - 1]!.join('  '));

// 2. batched in this thread, same seeds (the same rng state gives the same member seeds)
const o = resolveMineOptions({ workers: 1 });
const seeds = memberSeeds(new Rng('mine-batched'), K);
t0 = performance.now();
c0 = process.cpuUsage();
const est1 = trainMembers(datasets, seeds, o);
const tOne = (performance.now() - t0) / 1000;
const cOne = cpuSince(c0);
const mi1 = est1.map((e) => e.mi);
const epochs = (es: MineEstimate[]) => es.reduce((s, e) => s + e.epochs, 0) / es.length;
rows.push(['batched, 1 thread', K, tOne.toFixed(1), cOne.toFixed(1), epochs(est1).toFixed(0), meanErr(mi1, all).toFixed(4), meanAbsErr(mi1, all).toFixed(4)]);
console.log(rows[rows.length - 1]!.join('  '));
const sameAsWorkers = mi1.every((v, i) => Math.abs(v - resW.perCandidate[i]!) < 1e-5);

// 3. one after another, K = 1 each, on a spread subset; extrapolated to K
const subset = Array.from({ length: SEQ }, (_, j) => Math.round((j * (K - 1)) / Math.max(1, SEQ - 1)));
t0 = performance.now();
c0 = process.cpuUsage();
const seq = subset.map((k) => trainMembers([datasets[k]!], [seeds[k]!], o)[0]!);
const tSeqSubset = (performance.now() - t0) / 1000;
const tSeq = (tSeqSubset * K) / SEQ;
const cSeq = (cpuSince(c0) * K) / SEQ;
const subsetBatchedEpochs = subset.reduce((s, k) => s + est1[k]!.epochs, 0) / SEQ;
const seqMi = new Array<number>(K).fill(NaN);
subset.forEach((k, j) => (seqMi[k] = seq[j]!.mi));
const sameAsSequential = subset.every((k) => Math.abs(seqMi[k]! - mi1[k]!) < 1e-5);
rows.push([`one after another (${SEQ} timed, × ${K}/${SEQ})`, K, `${tSeq.toFixed(1)} (extrapolated)`, `${cSeq.toFixed(1)} (extrapolated)`, epochs(seq).toFixed(0), meanErr(seqMi, subset).toFixed(4), meanAbsErr(seqMi, subset).toFixed(4)]);
console.log(rows[rows.length - 1]!.join('  '), 'subset epochs batched', subsetBatchedEpochs);

// 4. reference settings: 200 epochs, no early stop, one thread, subset; per member-epoch cost
const oRef = resolveMineOptions({ workers: 1, minEpochs: 200, maxEpochs: 200 });
const refIdx = subset.slice(0, REF_SUBSET).length === REF_SUBSET ? subset.slice(0, REF_SUBSET) : all.slice(0, REF_SUBSET);
t0 = performance.now();
c0 = process.cpuUsage();
const ref = trainMembers(refIdx.map((k) => datasets[k]!), refIdx.map((k) => seeds[k]!), oRef);
const tRef = (performance.now() - t0) / 1000;
const cRef = cpuSince(c0);
const perMemberEpochMs = (cRef * 1000) / (REF_SUBSET * 200);
const refMi = new Array<number>(K).fill(NaN);
refIdx.forEach((k, j) => (refMi[k] = ref[j]!.mi));
rows.push([`200 epochs, no early stop, 1 thread (${REF_SUBSET} batched, × ${K}/${REF_SUBSET})`, K, `${((tRef * K) / REF_SUBSET).toFixed(1)} (extrapolated)`, `${((cRef * K) / REF_SUBSET).toFixed(1)} (extrapolated)`, 200, meanErr(refMi, refIdx).toFixed(4), meanAbsErr(refMi, refIdx).toFixed(4)]);
console.log(rows[rows.length - 1]!.join('  '));

const ratioWorkers = tWorkers / tSeq;
const ratioOne = tOne / tSeq;
const body = [
  `K = ${K} candidates × M = ${M} events, Gaussian (A, B) with ρ_k evenly in [0.5, 0.95] (exact MI ${exact[0]!.toFixed(3)}–${exact[K - 1]!.toFixed(3)} nats). Default network (encoders 1→32→32→64, joint 128→128→1), Adam, batch 512, held out 30 %, early stopping, ≤ 200 epochs.`,
  '',
  table(['mode', 'K', 'wall s', 'CPU s (all threads)', 'mean epochs', 'mean error (nats)', 'mean |error|'], rows),
  '',
  `- wall time, batched with ${workers} workers / one after another: **${ratioWorkers.toFixed(2)}** (target ≤ 0.2); batched in one thread / one after another: ${ratioOne.toFixed(2)}. CPU time, batched in one thread / one after another: ${(cOne / cSeq).toFixed(2)} (CPU time is the fairer comparison on a shared machine: wall times were taken minutes apart under a changing load).`,
  `- equal accuracy by construction: the same seeds give the same estimates in every mode (batched vs ${workers} workers identical: ${sameAsWorkers}; batched vs one after another on the subset identical: ${sameAsSequential}).`,
  `- CPU cost per member-epoch (M = 700, one thread, 200-epoch run): ${perMemberEpochMs.toFixed(1)} ms; the reference PyTorch code (1.13, one core of this machine) needs 262 s for 117 × 200 epochs ≈ ${((262 * 1000) / (117 * 200)).toFixed(1)} ms per member-epoch (11 ms with bmm batching), an H100 195 s.`,
  `- MI-OPT objective step for K = ${K} with ${workers} workers: ${tWorkers.toFixed(0)} s (goal < 195 s at equal accuracy).`,
  '- Why batching gains little here: on the wasm backend a rank-3 (batched) matmul and any matmul with a transposed operand run a naive kernel (1–3 GFLOP/s measured, `mine-batching-floor`) while a plain 2-D matmul uses XNNPACK, so the stacked network keeps per-member 2-D matmuls and shares only the per-layer Adam updates, reductions and bookkeeping; the FLOPs per member are unchanged. The gain comes from the workers and from early stopping. How low any batching could go on this machine: `mine-batching-floor`.',
  `- ${loadLine(load0)}`,
].join('\n');
writeSection('mine-batched', 'MINE: K = 117 estimators batched vs one after another', `npx tsx benchmarks/mine-batched.ts${quick ? ' --quick' : ''}`, body, backendInfo().name);
console.log(body);
console.log('tensors at end', tf.memory().numTensors);
