// Dense float64 linear algebra on row-major Float64Array, for the Gaussian
// processes (tfjs has no float64 and no Cholesky; see DESIGN.md "Numbers and tensors").
// Every matrix is square n × n unless said otherwise; L is always the LOWER
// Cholesky factor stored row-major (upper triangle zero).

export interface CholeskyResult {
  /** lower factor, row-major n × n, L Lᵀ = A + jitter·I */
  L: Float64Array;
  n: number;
  /** the diagonal jitter that had to be added (0 when A was numerically PD) */
  jitter: number;
}

export interface CholeskyOptions {
  /** first jitter tried, relative to the mean diagonal (default 1e-10) */
  initialJitter?: number;
  /** jitter grows ×10 per try up to this relative size (default 1e-2) */
  maxJitter?: number;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
  }
  if (i < n) s0 += a[i]! * b[i]!;
  return s0 + s1;
}

/** y = A x for A rows × cols row-major. */
export function matVec(A: Float64Array, rows: number, cols: number, x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const o = i * cols;
    for (let j = 0; j < cols; j++) s += A[o + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

/**
 * In-place Cholesky–Banachiewicz on the lower triangle of `a` (row-major n × n).
 * L_ij needs the dot product of rows i and j of L (both contiguous). Rows are
 * processed in pairs against pairs of earlier rows (2 × 2 register blocking):
 * four dot products share every load, which roughly halves memory traffic.
 * Returns false when a pivot is not positive (matrix not numerically PD).
 */
function factorInPlace(a: Float64Array, n: number): boolean {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    let j = 0;
    for (; j + 1 < i; j += 2) {
      const q0 = j * n;
      const q1 = q0 + n;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = 0; k < j; k++) {
        const a0 = a[r0 + k]!;
        const a1 = a[r1 + k]!;
        const b0 = a[q0 + k]!;
        const b1 = a[q1 + k]!;
        s00 += a0 * b0;
        s01 += a0 * b1;
        s10 += a1 * b0;
        s11 += a1 * b1;
      }
      const djj = a[q0 + j]!;
      const l0j = (a[r0 + j]! - s00) / djj;
      const l1j = (a[r1 + j]! - s10) / djj;
      a[r0 + j] = l0j;
      a[r1 + j] = l1j;
      const lj1j = a[q1 + j]!;
      const dj1 = a[q1 + j + 1]!;
      a[r0 + j + 1] = (a[r0 + j + 1]! - s01 - l0j * lj1j) / dj1;
      a[r1 + j + 1] = (a[r1 + j + 1]! - s11 - l1j * lj1j) / dj1;
    }
    for (; j < i; j++) {
      const q0 = j * n;
      let s0 = 0;
      let s1 = 0;
      for (let k = 0; k < j; k++) {
        const b = a[q0 + k]!;
        s0 += a[r0 + k]! * b;
        s1 += a[r1 + k]! * b;
      }
      const djj = a[q0 + j]!;
      a[r0 + j] = (a[r0 + j]! - s0) / djj;
      a[r1 + j] = (a[r1 + j]! - s1) / djj;
    }
    // 2 × 2 diagonal block
    let s00 = 0;
    let s10 = 0;
    let s11 = 0;
    for (let k = 0; k < i; k++) {
      const a0 = a[r0 + k]!;
      const a1 = a[r1 + k]!;
      s00 += a0 * a0;
      s10 += a1 * a0;
      s11 += a1 * a1;
    }
    const p0 = a[r0 + i]! - s00;
    if (!(p0 > 0) || !Number.isFinite(p0)) return false;
    const d0 = Math.sqrt(p0);
    a[r0 + i] = d0;
    const l10 = (a[r1 + i]! - s10) / d0;
    a[r1 + i] = l10;
    const p1 = a[r1 + i + 1]! - s11 - l10 * l10;
    if (!(p1 > 0) || !Number.isFinite(p1)) return false;
    a[r1 + i + 1] = Math.sqrt(p1);
    for (let c = i + 1; c < n; c++) a[r0 + c] = 0;
    for (let c = i + 2; c < n; c++) a[r1 + c] = 0;
  }
  if (i < n) {
    // last odd row
    const r0 = i * n;
    for (let j = 0; j <= i; j++) {
      const q0 = j * n;
      let s = 0;
      for (let k = 0; k < j; k++) s += a[r0 + k]! * a[q0 + k]!;
      const v = a[r0 + j]! - s;
      if (j === i) {
        if (!(v > 0) || !Number.isFinite(v)) return false;
        a[r0 + i] = Math.sqrt(v);
      } else a[r0 + j] = v / a[q0 + j]!;
    }
  }
  return true;
}

/**
 * Cholesky factor of the symmetric matrix A (only its lower triangle is read).
 * If A is not numerically positive definite, jitter·I is added with jitter
 * escalating ×10 from initialJitter·mean(diag) up to maxJitter·mean(diag);
 * the jitter used is returned. Throws when even the largest jitter fails.
 */
export function cholesky(A: Float64Array, n: number, opts: CholeskyOptions = {}): CholeskyResult {
  if (A.length !== n * n) throw new Error(`cholesky: A has ${A.length} entries, expected n*n = ${n * n}`);
  const work = new Float64Array(n * n);
  work.set(A);
  if (factorInPlace(work, n)) return { L: work, n, jitter: 0 };
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += Math.abs(A[i * n + i]!);
  meanDiag = n > 0 ? meanDiag / n : 1;
  if (!(meanDiag > 0) || !Number.isFinite(meanDiag)) meanDiag = 1;
  const maxRel = opts.maxJitter ?? 1e-2;
  for (let rel = opts.initialJitter ?? 1e-10; rel <= maxRel * (1 + 1e-12); rel *= 10) {
    const jitter = rel * meanDiag;
    work.set(A);
    for (let i = 0; i < n; i++) work[i * n + i]! += jitter;
    if (factorInPlace(work, n)) return { L: work, n, jitter };
  }
  throw new Error(`cholesky: matrix (n = ${n}) is not positive definite even with jitter ${maxRel} × mean diagonal`);
}

/** Solves L x = b (forward substitution). */
export function solveLower(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[ri + k]! * x[k]!;
    x[i] = s / L[ri + i]!;
  }
  return x;
}

/** Solves Lᵀ x = b (back substitution with the lower factor). */
export function solveUpperT(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from({ length: n }, (_, i) => b[i]!);
  for (let i = n - 1; i >= 0; i--) {
    const xi = x[i]! / L[i * n + i]!;
    x[i] = xi;
    // subtract column i of Lᵀ = row i of L, contiguous
    const ri = i * n;
    for (let k = 0; k < i; k++) x[k]! -= L[ri + k]! * xi;
  }
  return x;
}

/** Solves A x = b given the factor of A (L Lᵀ = A). */
export function cholSolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return solveUpperT(L, n, solveLower(L, n, b));
}

/** Solves L X = B for B n × m row-major (row operations, contiguous). */
export function solveLowerMatrix(L: Float64Array, n: number, B: Float64Array, m: number): Float64Array {
  if (B.length !== n * m) throw new Error(`solveLowerMatrix: B has ${B.length} entries, expected ${n}×${m}`);
  const X = new Float64Array(B);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const xi = i * m;
    for (let k = 0; k < i; k++) {
      const l = L[ri + k]!;
      if (l === 0) continue;
      const xk = k * m;
      for (let c = 0; c < m; c++) X[xi + c]! -= l * X[xk + c]!;
    }
    const d = 1 / L[ri + i]!;
    for (let c = 0; c < m; c++) X[xi + c]! *= d;
  }
  return X;
}

/** Solves Lᵀ X = B for B n × m row-major. */
export function solveUpperTMatrix(L: Float64Array, n: number, B: Float64Array, m: number): Float64Array {
  if (B.length !== n * m) throw new Error(`solveUpperTMatrix: B has ${B.length} entries, expected ${n}×${m}`);
  const X = new Float64Array(B);
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    const xi = i * m;
    const d = 1 / L[ri + i]!;
    for (let c = 0; c < m; c++) X[xi + c]! *= d;
    for (let k = 0; k < i; k++) {
      const l = L[ri + k]!;
      if (l === 0) continue;
      const xk = k * m;
      for (let c = 0; c < m; c++) X[xk + c]! -= l * X[xi + c]!;
    }
  }
  return X;
}

/** log det A = 2 Σ log L_ii. */
export function logDetFromChol(L: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * n + i]!);
  return 2 * s;
}

/**
 * A⁻¹ from its factor: U = L⁻ᵀ is built row by row (row c of U is column c of
 * M = L⁻¹, two columns at a time so they share the loads of L), then
 * (A⁻¹)_ij = Σ_k U_ik U_jk over contiguous rows with 2 × 2 blocking.
 * `lowerOnly` fills only the lower triangle (j ≤ i), skipping the strided
 * mirror writes, for callers that read only that half.
 */
export function inverseFromChol(L: Float64Array, n: number, lowerOnly = false): Float64Array {
  const U = new Float64Array(n * n);
  for (let c = 0; c < n; c += 2) {
    const u0 = c * n;
    const pair = c + 1 < n;
    const u1 = u0 + n;
    U[u0 + c] = 1 / L[c * n + c]!;
    if (pair) {
      // M_{c+1,c} = −L_{c+1,c} M_cc / L_{c+1,c+1}
      const d1 = L[(c + 1) * n + c + 1]!;
      U[u0 + c + 1] = (-L[(c + 1) * n + c]! * U[u0 + c]!) / d1;
      U[u1 + c + 1] = 1 / d1;
    }
    if (!pair) {
      for (let i = c + 1; i < n; i++) {
        const ri = i * n;
        let s0 = 0;
        for (let k = c; k < i; k++) s0 += L[ri + k]! * U[u0 + k]!;
        U[u0 + i] = -s0 / L[ri + i]!;
      }
      continue;
    }
    // rows i, i+1 of L against rows c, c+1 of U: four dot products share the loads
    // (U[c+1][c] = 0, so both U rows can run from k = c)
    let i = c + 2;
    for (; i + 1 < n; i += 2) {
      const r0 = i * n;
      const r1 = r0 + n;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = c; k < i; k++) {
        const a0 = L[r0 + k]!;
        const a1 = L[r1 + k]!;
        const b0 = U[u0 + k]!;
        const b1 = U[u1 + k]!;
        s00 += a0 * b0;
        s01 += a0 * b1;
        s10 += a1 * b0;
        s11 += a1 * b1;
      }
      const d0 = L[r0 + i]!;
      const v0 = -s00 / d0;
      const v1 = -s01 / d0;
      U[u0 + i] = v0;
      U[u1 + i] = v1;
      const l = L[r1 + i]!;
      const d1 = L[r1 + i + 1]!;
      U[u0 + i + 1] = -(s10 + l * v0) / d1;
      U[u1 + i + 1] = -(s11 + l * v1) / d1;
    }
    if (i < n) {
      const ri = i * n;
      let s0 = 0;
      let s1 = 0;
      for (let k = c; k < i; k++) {
        const a = L[ri + k]!;
        s0 += a * U[u0 + k]!;
        s1 += a * U[u1 + k]!;
      }
      const d = L[ri + i]!;
      U[u0 + i] = -s0 / d;
      U[u1 + i] = -s1 / d;
    }
  }
  const inv = new Float64Array(n * n);
  const gram = (i: number, j: number): number => {
    const ui = i * n;
    const uj = j * n;
    let s = 0;
    for (let k = i > j ? i : j; k < n; k++) s += U[ui + k]! * U[uj + k]!;
    return s;
  };
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a0 = i * n;
    const a1 = a0 + n;
    for (let j = 0; j + 1 < i + 1; j += 2) {
      // block rows (i, i+1) × (j, j+1), j + 1 ≤ i: all k ≥ i+1 shared, k = i handled apart
      const b0 = j * n;
      const b1 = b0 + n;
      let s00 = U[a0 + i]! * U[b0 + i]!;
      let s01 = U[a0 + i]! * U[b1 + i]!;
      let s10 = 0;
      let s11 = 0;
      for (let k = i + 1; k < n; k++) {
        const x0 = U[a0 + k]!;
        const x1 = U[a1 + k]!;
        const y0 = U[b0 + k]!;
        const y1 = U[b1 + k]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      inv[a0 + j] = s00;
      if (!lowerOnly) inv[b0 + i] = s00;
      inv[a0 + j + 1] = s01;
      if (!lowerOnly) inv[b1 + i] = s01;
      inv[a1 + j] = s10;
      if (!lowerOnly) inv[b0 + i + 1] = s10;
      inv[a1 + j + 1] = s11;
      if (!lowerOnly) inv[b1 + i + 1] = s11;
    }
    const s = gram(i, i);
    inv[a0 + i] = s;
    const t = gram(i + 1, i);
    inv[a1 + i] = t;
    if (!lowerOnly) inv[a0 + i + 1] = t;
    inv[a1 + i + 1] = gram(i + 1, i + 1);
  }
  if (i < n) {
    for (let j = 0; j <= i; j++) {
      const s = gram(i, j);
      inv[i * n + j] = s;
      if (!lowerOnly) inv[j * n + i] = s;
    }
  }
  return inv;
}

/**
 * Extends the factor of A (n × n) to the factor of [[A, c], [cᵀ, d]] when one
 * point is added: new row l = L⁻¹ c, new diagonal √(d − lᵀl). O(n²) instead of
 * O(n³). Throws when the extended matrix is not PD (the caller may add jitter to d).
 */
export function cholAppend(L: Float64Array, n: number, c: ArrayLike<number>, d: number): Float64Array {
  if (c.length !== n) throw new Error(`cholAppend: c has ${c.length} entries, expected n = ${n}`);
  const m = n + 1;
  const out = new Float64Array(m * m);
  for (let i = 0; i < n; i++) out.set(L.subarray(i * n, i * n + i + 1), i * m);
  const l = solveLower(L, n, c);
  out.set(l, n * m);
  const s = d - dot(l, l);
  if (!(s > 0)) throw new Error(`cholAppend: extended matrix is not positive definite (Schur complement ${s})`);
  out[n * m + n] = Math.sqrt(s);
  return out;
}

/** C = A B for A r × k, B k × c (row-major, i-k-j loop order). */
export function matMul(A: Float64Array, r: number, k: number, B: Float64Array, c: number): Float64Array {
  const C = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    const ci = i * c;
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p]!;
      if (a === 0) continue;
      const bp = p * c;
      for (let j = 0; j < c; j++) C[ci + j]! += a * B[bp + j]!;
    }
  }
  return C;
}

/**
 * Solves A x = b for a small dense square A (array of rows) by Gauss–Jordan
 * elimination with partial pivoting; for least-squares normal equations that
 * need no factor kept (benchmarks, test references).
 */
export function solveDense(A: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  if (A.length !== n || A.some((row) => row.length !== n)) throw new Error(`solveDense: A must be ${n} × ${n} to match b`);
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}
