import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  cholesky,
  cholSolve,
  cholAppend,
  inverseFromChol,
  logDetFromChol,
  matVec,
  solveLower,
  solveLowerMatrix,
  solveUpperT,
  solveDense,
  solveUpperTMatrix,
} from '../lib/linalg.ts';
import { minimize, multiStart } from '../lib/optimize.ts';
import { Rng } from '../lib/random.ts';

function randomSpd(n: number, rng: Rng): Float64Array {
  const B = Float64Array.from({ length: n * n }, () => rng.normal());
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? 0.1 : 0;
      for (let k = 0; k < n; k++) s += B[i * n + k]! * B[j * n + k]!;
      A[i * n + j] = s;
    }
  }
  return A;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function llt(L: Float64Array, n: number): Float64Array {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) A[i * n + j]! += L[i * n + k]! * L[j * n + k]!;
  return A;
}

test('Cholesky of the textbook 3×3 matrix gives the known factor', () => {
  const A = Float64Array.from([4, 12, -16, 12, 37, -43, -16, -43, 98]);
  const { L, jitter } = cholesky(A, 3);
  assert.is(jitter, 0);
  assert.ok(maxAbsDiff(L, [2, 0, 0, 6, 1, 0, -8, 5, 3]) < 1e-12);
  assert.ok(Math.abs(logDetFromChol(L, 3) - Math.log(36)) < 1e-12); // det = (2·1·3)²
  // A x = b with x = (1, 2, 3): b = A x
  const b = matVec(A, 3, 3, [1, 2, 3]);
  assert.ok(maxAbsDiff(cholSolve(L, 3, b), [1, 2, 3]) < 1e-10);
});

test('random SPD matrices (odd and even n): L Lᵀ = A, solves, inverse, log det', () => {
  const rng = new Rng('spd');
  for (const n of [1, 2, 7, 30, 31]) {
    const A = randomSpd(n, rng);
    const { L } = cholesky(A, n);
    assert.ok(maxAbsDiff(llt(L, n), A) < 1e-9 * n, `n=${n} reconstruction`);
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const b = matVec(A, n, n, x);
    assert.ok(maxAbsDiff(cholSolve(L, n, b), x) < 1e-7, `n=${n} solve`);
    const z = solveLower(L, n, x);
    assert.ok(maxAbsDiff(matVec(L, n, n, z), x) < 1e-9, `n=${n} forward`);
    const Lt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Lt[i * n + j] = L[j * n + i]!;
    const w = solveUpperT(L, n, x);
    assert.ok(maxAbsDiff(matVec(Lt, n, n, w), x) < 1e-9, `n=${n} back`);
    // matrix right-hand sides column by column agree with the vector solves
    const m = 3;
    const B = Float64Array.from({ length: n * m }, () => rng.normal());
    const XL = solveLowerMatrix(L, n, B, m);
    const XU = solveUpperTMatrix(L, n, B, m);
    for (let c = 0; c < m; c++) {
      const col = Float64Array.from({ length: n }, (_, i) => B[i * m + c]!);
      assert.ok(maxAbsDiff(Float64Array.from({ length: n }, (_, i) => XL[i * m + c]!), solveLower(L, n, col)) < 1e-9);
      assert.ok(maxAbsDiff(Float64Array.from({ length: n }, (_, i) => XU[i * m + c]!), solveUpperT(L, n, col)) < 1e-9);
    }
    const inv = inverseFromChol(L, n);
    const I = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) I[i * n + j]! += A[i * n + k]! * inv[k * n + j]!;
    for (let i = 0; i < n; i++) I[i * n + i]! -= 1;
    assert.ok(maxAbsDiff(I, new Float64Array(n * n)) < 1e-7, `n=${n} inverse`);
    // log det against the product of the LU-free diagonal: det(A) via Lᵀ diag
    let ld = 0;
    for (let i = 0; i < n; i++) ld += 2 * Math.log(L[i * n + i]!);
    assert.ok(Math.abs(logDetFromChol(L, n) - ld) < 1e-12);
  }
});

test('jitter escalates on a singular matrix and is reported', () => {
  const n = 4;
  const A = new Float64Array(n * n).fill(1); // rank one
  const { L, jitter } = cholesky(A, n);
  assert.ok(jitter > 0 && jitter <= 1e-2, `jitter ${jitter}`);
  const R = llt(L, n);
  for (let i = 0; i < n; i++) R[i * n + i]! -= jitter;
  assert.ok(maxAbsDiff(R, A) < 1e-9);
  assert.throws(() => cholesky(Float64Array.from([1, 0, 0, -1]), 2), /not positive definite/);
  assert.throws(() => cholesky(new Float64Array(3), 2), /expected n\*n/);
});

test('rank-one extension equals the full refactorisation', () => {
  const rng = new Rng('append');
  const n = 9;
  const A = randomSpd(n + 1, rng);
  const Asub = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Asub[i * n + j] = A[i * (n + 1) + j]!;
  const { L } = cholesky(Asub, n);
  const c = Float64Array.from({ length: n }, (_, i) => A[n * (n + 1) + i]!);
  const ext = cholAppend(L, n, c, A[n * (n + 1) + n]!);
  const full = cholesky(A, n + 1).L;
  assert.ok(maxAbsDiff(ext, full) < 1e-10);
});

test('L-BFGS: Rosenbrock minimum, and a minimum on the bound', () => {
  const rosen = (x: Float64Array) => {
    const [a, b] = [x[0]!, x[1]!];
    return {
      f: (1 - a) ** 2 + 100 * (b - a * a) ** 2,
      g: Float64Array.from([-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)]),
    };
  };
  const r = minimize(rosen, [-1.2, 1], { maxIter: 500, gtol: 1e-9, ftol: 0 });
  assert.ok(Math.abs(r.x[0]! - 1) < 1e-4 && Math.abs(r.x[1]! - 1) < 1e-4, `got ${r.x}`);
  // with a ≤ 0.5 the constrained minimum is at a = 0.5, b = 0.25
  const rb = minimize(rosen, [-1.2, 1], { upper: [0.5, 10], lower: [-5, -5], maxIter: 500, ftol: 0 });
  assert.ok(Math.abs(rb.x[0]! - 0.5) < 1e-8 && Math.abs(rb.x[1]! - 0.25) < 1e-4, `got ${rb.x}`);
  // multi-start picks the lower of two wells of (x² − 1)² + 0.3x
  const wells = (x: Float64Array) => ({ f: (x[0]! ** 2 - 1) ** 2 + 0.3 * x[0]!, g: Float64Array.from([4 * x[0]! * (x[0]! ** 2 - 1) + 0.3]) });
  const ms = multiStart(wells, [[0.9], [-0.9]], { lower: [-2], upper: [2] });
  assert.ok(ms.best.x[0]! < -1 && ms.best.x[0]! > -1.1, `got ${ms.best.x}`);
  assert.throws(() => minimize(rosen, [0, 0], { lower: [1, 1], upper: [0, 0] }), /lower\[0\]/);
});


test('solveDense: a system that needs pivoting (zero first pivot), and a size mismatch is named', () => {
  // x = (1, 2, 3)
  const A = [
    [0, 2, 1],
    [1, 1, 1],
    [2, 0, 3],
  ];
  const x = solveDense(A, [7, 6, 11]);
  [1, 2, 3].forEach((v, i) => assert.ok(Math.abs(x[i]! - v) < 1e-12, `x[${i}] = ${x[i]}`));
  assert.throws(() => solveDense(A, [1, 2]), /solveDense/);
});

test.run();
