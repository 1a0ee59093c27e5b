/**
 * The page's shell: skip link, banner with the language switch and the login, the section navigation
 * (`#/day`, `#/statements`, `#/fleet`) and the main landmark holding the current view. Polish unless
 * the person chose English (remembered in this browser).
 */
import { HubApi } from "./api.ts";
import type { View, ViewContext } from "./context.ts";
import { h, replace } from "./dom.ts";
import { today } from "./format.ts";
import { isLanguage, LANGUAGES, type Language, type MessageKey, translator } from "./i18n.ts";
import type { StaffSession } from "./model.ts";
import { dayView } from "./views/day.ts";
import { fleetView } from "./views/fleet.ts";
import { loginView } from "./views/login.ts";
import { statementsView } from "./views/statements.ts";

type Route = "day" | "statements" | "fleet";
const ROUTES: Array<[Route, MessageKey, (context: ViewContext) => View]> = [
  ["day", "navDay", dayView],
  ["statements", "navStatements", statementsView],
  ["fleet", "navFleet", fleetView],
];
const LANGUAGE_KEY = "oplatomat-hub-language";

function routeOf(hash: string): Route {
  const name = hash.replace(/^#\/?/, "");
  return ROUTES.some(([r]) => r === name) ? (name as Route) : "day";
}

function storedLanguage(): Language {
  try {
    const saved = localStorage.getItem(LANGUAGE_KEY);
    return isLanguage(saved) ? saved : "pl";
  } catch {
    return "pl";
  }
}

export class BackOffice {
  private readonly api = new HubApi();
  private language: Language = storedLanguage();
  private session: StaffSession | null = null;
  private view: View | undefined;
  private readonly picks = { office: "", date: today() };
  private notice: MessageKey | undefined;

  constructor(private readonly root: HTMLElement) {
    window.addEventListener("hashchange", () => {
      // The skip link's `#main` is not a route.
      if (location.hash.startsWith("#/")) this.render({ focus: "heading" });
    });
  }

  async start(): Promise<void> {
    try {
      this.session = await this.api.session();
    } catch {
      this.session = null;
    }
    this.adopt();
    this.render({});
  }

  private adopt(): void {
    const offices = this.session?.offices ?? [];
    if (!offices.some((o) => o.id === this.picks.office)) this.picks.office = offices[0]?.id ?? "";
  }

  private setLanguage(language: Language): void {
    this.language = language;
    try {
      localStorage.setItem(LANGUAGE_KEY, language);
    } catch {
      // private mode: the choice lasts for this page only
    }
    this.render({ focus: `lang-${language}` });
  }

  private context(session: StaffSession): ViewContext {
    return {
      t: translator(this.language),
      language: this.language,
      api: this.api,
      session,
      picks: this.picks,
      sessionLost: () => {
        this.session = null;
        this.notice = "sessionExpired";
        this.render({ focus: "heading" });
      },
    };
  }

  private banner(): HTMLElement {
    const t = translator(this.language);
    const switcher = h(
      "ul",
      { class: "languages" },
      LANGUAGES.map((l) => {
        const button = h(
          "button",
          { type: "button", id: `lang-${l}`, lang: l, "aria-pressed": String(l === this.language) },
          translator(l)("languageName"),
        );
        button.addEventListener("click", () => this.setLanguage(l));
        return h("li", {}, button);
      }),
    );
    const session = this.session;
    let who: HTMLElement | null = null;
    if (session) {
      const logout = h("button", { type: "button", id: "logout" }, t("logout"));
      logout.addEventListener("click", async () => {
        await this.api.logout().catch(() => undefined);
        this.session = null;
        this.render({ focus: "heading" });
      });
      who = h("div", { class: "who" }, h("span", {}, t("loggedInAs", { name: session.name })), logout);
    }
    return h(
      "header",
      { class: "banner" },
      h("p", { class: "brand" }, t("appTitle")),
      h("nav", { "aria-label": t("languageNav") }, switcher),
      who,
    );
  }

  private sections(route: Route): HTMLElement {
    const t = translator(this.language);
    return h(
      "nav",
      { "aria-label": t("mainNav"), class: "sections" },
      h(
        "ul",
        {},
        ROUTES.map(([r, key]) =>
          h("li", {}, h("a", { href: `#/${r}`, "aria-current": r === route ? "page" : null }, t(key))),
        ),
      ),
    );
  }

  /** Rebuilds the page; `focus` names the element to focus afterwards (an id, or the view's heading). */
  private render(options: { focus?: string }): void {
    const t = translator(this.language);
    document.documentElement.lang = this.language;
    document.title = t("appTitle");
    this.view?.stop();
    this.view = undefined;
    const main = h("main", { id: "main", tabindex: -1 });
    const skip = h("a", { href: "#main", class: "skip" }, t("skipToContent"));
    skip.addEventListener("click", (event) => {
      event.preventDefault();
      main.focus();
    });
    const route = routeOf(location.hash);
    if (this.session) {
      const make = ROUTES.find(([r]) => r === route)?.[2] ?? dayView;
      this.view = make(this.context(this.session));
      main.append(this.view.element);
      replace(this.root, skip, this.banner(), this.sections(route), main);
    } else {
      main.append(
        loginView(
          t,
          this.api,
          (session) => {
            this.session = session;
            this.notice = undefined;
            this.adopt();
            this.render({ focus: "heading" });
          },
          this.notice ? t(this.notice) : undefined,
        ),
      );
      replace(this.root, skip, this.banner(), main);
    }
    if (options.focus === "heading") main.querySelector<HTMLElement>("h1")?.focus();
    else if (options.focus) document.getElementById(options.focus)?.focus();
  }
}
