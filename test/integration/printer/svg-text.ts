/** Reads the text lines back out of a receiptline SVG (one `<g translate>` per printed line). */
const ENTITIES: Record<string, string> = { "&#xa0;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">" };

export function svgTextLines(svg: string): string[] {
  const lines = new Map<number, string[]>();
  const group = /<g transform="translate\(([-\d.]+),([-\d.]+)\)">((?:(?!<g ).)*?)<\/g>/g;
  for (const g of svg.matchAll(group)) {
    const dx = Number(g[1]);
    const y = Number(g[2]);
    const body = g[3] ?? "";
    if (!body.includes("<tspan")) continue;
    const line = lines.get(y) ?? [];
    for (const t of body.matchAll(/<tspan x="([-\d.]+)">(.*?)<\/tspan>/g)) {
      const col = Math.floor((dx + Number(t[1]) - 6) / 12);
      const ch = (t[2] ?? "").replace(/&#xa0;|&amp;|&lt;|&gt;/g, (e) => ENTITIES[e] ?? e);
      while (line.length < col) line.push(" ");
      line[col] = ch;
    }
    lines.set(y, line);
  }
  return [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l.join("").replace(/\s+$/, ""));
}
