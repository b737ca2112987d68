// Seed 002's finding for the calorimeter studies, as a test on one design:
// Σ scintillator ≥ 20 cm, every absorber ≤ 1 cm, total ≤ 25.5 cm.

/** Whether θ (thicknesses in the order of `names`: abs1, scint1, …) meets seed 002's criterion. */
export function meetsPaperCriterion(names: readonly string[], theta: readonly number[]): boolean {
  const scint = theta.filter((_, k) => /^scint\d+$/.test(names[k]!)).reduce((a, v) => a + v, 0);
  const maxAbsorber = Math.max(...theta.filter((_, k) => /^abs\d+$/.test(names[k]!)));
  return scint >= 20 && maxAbsorber <= 1 && theta.reduce((x, v) => x + v, 0) <= 25.5;
}
