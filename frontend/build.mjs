// Builds static assets into apps/core/static. Run: npm ci && npm run build
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = new URL("../apps/core/static/", import.meta.url);
const govuk = new URL("./node_modules/govuk-frontend/", import.meta.url);
const version = JSON.parse(readFileSync(new URL("package.json", govuk))).version;

const css = sass.compile("scss/hub.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["mixed-decls"],
});
mkdirSync(new URL("hub/", out), { recursive: true });
writeFileSync(new URL("hub/hub.css", out), css.css);

const dest = new URL("govuk-frontend/", out);
mkdirSync(dest, { recursive: true });
cpSync(new URL("dist/govuk/govuk-frontend.min.js", govuk), new URL("govuk-frontend.min.js", dest));
cpSync(new URL("dist/govuk/assets/images/", govuk), new URL("assets/images/", dest), { recursive: true });
writeFileSync(new URL("LICENSE", dest), "GOV.UK Frontend is released under the MIT licence (see its package.json). Its images are Crown copyright.\n");
writeFileSync(new URL("VERSION", dest), `govuk-frontend ${version}\n`);
console.log(`built hub.css with govuk-frontend ${version}`);
