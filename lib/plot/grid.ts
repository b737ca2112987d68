// Several evolution plots in a grid (rows stacked, cells side by side), e.g.
// TL on vs off per M (seed 002, Figures 6–8) or 1–20 vs 1–100 GeV (Figure 9).
import { evolutionLayer, type EvolutionData, type EvolutionOptions } from './evolution.ts';
import { renderSvg, type TopLevelSpec } from './render.ts';

export interface GridCell {
  /** cell title, e.g. `TL, M = 50` */
  title: string;
  data: EvolutionData;
  /** per-cell axis titles (they may differ between objectives) */
  options?: Omit<EvolutionOptions, 'title'>;
}

export interface GridRow {
  cells: GridCell[];
}

export interface GridOptions {
  title?: string;
  width?: number;
  height?: number;
}

export function gridSpec(rows: readonly GridRow[], o: GridOptions = {}): TopLevelSpec {
  if (rows.length === 0 || rows.some((r) => r.cells.length === 0)) throw new Error('plot grid: every row needs at least one cell');
  const size = { width: o.width ?? 300, height: o.height ?? 190 };
  return {
    ...(o.title ? { title: o.title } : {}),
    vconcat: rows.map((r) => ({
      hconcat: r.cells.map((c) => evolutionLayer(c.data, { ...size, ...c.options, title: c.title })),
      // Each cell keeps its own scales: thicknesses and objectives differ between cells.
      resolve: { scale: { y: 'independent', color: 'shared' } },
    })),
    resolve: { scale: { y: 'independent' } },
  };
}

export function gridSvg(rows: readonly GridRow[], o: GridOptions = {}): Promise<string> {
  return renderSvg(gridSpec(rows, o));
}
