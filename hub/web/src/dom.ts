/**
 * A small element builder: the page is plain DOM (no framework), text always set as text, so nothing
 * from the server is ever parsed as HTML.
 */
export type Child = Node | string | number | null | undefined | false;
export type Attributes = Record<string, string | number | boolean | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Array<Child | Child[]>): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `parent`. */
export function replace(parent: Element, ...children: Array<Child | Child[]>): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A table with a caption, a header row of column headers and optionally a footer row. */
export function table(options: {
  caption: string;
  headers: string[];
  rows: Array<Array<Child | Child[]>>;
  footer?: Array<Child | Child[]>;
  /** Column indexes holding amounts or counts: right-aligned. */
  numeric?: number[];
  /** Rows to mark (e.g. reversed transactions), by index. */
  rowClass?: (index: number) => string | undefined;
  /** The first cell of each row is its header (names the row for screen readers). */
  rowHeaders?: boolean;
}): HTMLTableElement {
  const numeric = new Set(options.numeric ?? []);
  const cell = (tag: "td" | "th", index: number, content: Child | Child[], scope?: string) =>
    h(tag, { class: numeric.has(index) ? "num" : null, scope: scope ?? null }, content);
  const body = options.rows.map((row, r) =>
    h(
      "tr",
      { class: options.rowClass?.(r) ?? null },
      row.map((content, i) =>
        i === 0 && options.rowHeaders ? cell("th", i, content, "row") : cell("td", i, content),
      ),
    ),
  );
  return h(
    "table",
    {},
    h("caption", {}, options.caption),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        options.headers.map((text, i) => cell("th", i, text, "col")),
      ),
    ),
    h("tbody", {}, body),
    options.footer
      ? h(
          "tfoot",
          {},
          h(
            "tr",
            {},
            options.footer.map((content, i) =>
              i === 0 ? cell("th", i, content, "row") : cell("td", i, content),
            ),
          ),
        )
      : null,
  );
}
