import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pearson, ranks, spearman } from '../lib/stats.ts';

test('pearson and spearman on known cases', () => {
  assert.ok(Math.abs(pearson([1, 2, 3, 4], [2, 4, 6, 8]) - 1) < 1e-12);
  assert.ok(Math.abs(pearson([1, 2, 3, 4], [8, 6, 4, 2]) + 1) < 1e-12);
  // x = (1, 2, 3), y = (1, 3, 2): cov 0.5, var 1 and 1 → 0.5
  assert.ok(Math.abs(pearson([1, 2, 3], [1, 3, 2]) - 0.5) < 1e-12);
  assert.equal(ranks([0.3, -1, 7, 2]), [1, 0, 3, 2]);
  // a monotone transform keeps Spearman at 1 while Pearson drops
  const x = [0.1, 0.5, 1, 2, 3, 5];
  const y = x.map((v) => Math.exp(3 * v));
  assert.ok(Math.abs(spearman(x, y) - 1) < 1e-12);
  assert.ok(pearson(x, y) < 0.9);
  assert.throws(() => pearson([1], [2]), /pearson/);
  assert.throws(() => pearson([1, 2], [1, 2, 3]), /pearson/);
});

test.run();
