/** The office select shared by the day and statement forms (every office the login may see). */
import { h } from "../dom.ts";
import type { ViewContext } from "../context.ts";

export function officeSelect(context: ViewContext, id: string): HTMLSelectElement {
  const select = h(
    "select",
    { id, name: "office", required: true },
    context.session.offices.map((o) =>
      h("option", { value: o.id, selected: o.id === context.picks.office }, `${o.name} (${o.id})`),
    ),
  );
  select.addEventListener("change", () => {
    context.picks.office = select.value;
  });
  return select;
}

export function officeName(context: ViewContext, id: string): string {
  return context.session.offices.find((o) => o.id === id)?.name ?? id;
}
