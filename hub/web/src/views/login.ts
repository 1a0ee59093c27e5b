/**
 * The login form: login and password, a clear error on refusal (nothing else changes), the
 * password cleared and focused again so the next try is one keystroke away.
 */
import { ApiError, type HubApi } from "../api.ts";
import { h, replace } from "../dom.ts";
import type { Translate } from "../i18n.ts";
import type { StaffSession } from "../model.ts";

export function loginView(
  t: Translate,
  api: HubApi,
  onLogin: (session: StaffSession) => void,
  notice?: string,
): HTMLElement {
  const login = h("input", {
    id: "login",
    name: "login",
    type: "text",
    autocomplete: "username",
    required: true,
    autocapitalize: "none",
    spellcheck: "false",
  });
  const password = h("input", {
    id: "password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const error = h(
    "div",
    { role: "alert", class: "error", id: "login-error" },
    notice ? h("p", {}, notice) : null,
  );
  const submit = h("button", { type: "submit" }, t("loginButton"));
  const form = h(
    "form",
    { class: "login", "aria-labelledby": "login-heading", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "login" }, t("loginField")), login),
    h("div", { class: "field" }, h("label", { for: "password" }, t("passwordField")), password),
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    replace(error);
    if (!login.value || !password.value) {
      replace(error, h("p", {}, t("loginFailed")));
      (login.value ? password : login).focus();
      return;
    }
    submit.disabled = true;
    try {
      onLogin(await api.login(login.value, password.value));
    } catch (e) {
      const message =
        e instanceof ApiError && e.status === 429
          ? t("loginThrottled")
          : e instanceof ApiError && e.status === 401
            ? t("loginFailed")
            : t("errorNetwork");
      replace(error, h("p", {}, message));
      password.value = "";
      password.setAttribute("aria-invalid", "true");
      password.setAttribute("aria-describedby", "login-error");
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  return h(
    "div",
    { class: "view", "data-view": "login" },
    h("h1", { id: "login-heading", tabindex: -1 }, t("loginTitle")),
    h("p", {}, t("loginIntro")),
    error,
    form,
  );
}
