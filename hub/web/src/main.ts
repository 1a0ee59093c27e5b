/** Entry point of the back-office page (no inline script: the page runs under a strict CSP). */
import { BackOffice } from "./app.ts";

const root = document.getElementById("app");
if (root) void new BackOffice(root).start();
