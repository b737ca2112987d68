// The pieces of detopt's HTML reports (run and study): escaping, tables and one page frame with
// its style inlined, so that a report is a single file to open, archive or mail.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A number for a table cell: 4 significant digits, small integers as they are, '—' for none. */
export function formatCell(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  return v.toPrecision(4);
}

/** Cells of numbers (with ±, %, exponents) align right like numbers; other cells read left to right. */
const NUMERIC = /^[\s\d.,eE+\-−±%—]*$/;

/** A table of plain-text cells (escaped here); the first column is the row's name. */
export function tableHtml(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i > 0 && !NUMERIC.test(c) ? `<td class="text">` : '<td>') + `${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** A definition list of plain-text facts (escaped here). */
export function factsHtml(facts: readonly (readonly [string, string])[]): string {
  return `<dl>\n${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n')}\n</dl>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
table{border-collapse:collapse;font-size:0.85em;margin:0.5em 0}th,td{border:1px solid #ccc;padding:2px 6px;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child,td.text{text-align:left}dl{display:grid;grid-template-columns:max-content auto;gap:2px 1em}
dt{font-weight:600}dd{margin:0}pre{background:#f7f7f7;padding:0.5em;overflow:auto;font-size:0.85em}.scroll{overflow-x:auto}`;

/** The whole page: `body` is trusted HTML built from the helpers above. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}
