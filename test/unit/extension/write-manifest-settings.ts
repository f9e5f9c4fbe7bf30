// Writes package.json's contributes.configuration and restrictedConfigurations from src/app/settings/ (run after changing a
// setting; settings.test.ts fails until the manifest matches). Touches nothing else in the file.
import { readFileSync, writeFileSync } from "node:fs";
import {
  configurationContribution,
  SETTING_SPECS,
  SETTINGS_SECTION,
} from "../../../src/app/settings/index.js";

const path = new URL("../../../package.json", import.meta.url);
const manifest = JSON.parse(readFileSync(path, "utf8"));
manifest.contributes.configuration = configurationContribution();
manifest.capabilities.untrustedWorkspaces.restrictedConfigurations = SETTING_SPECS.filter(
  (s) => s.restricted,
).map((s) => `${SETTINGS_SECTION}.${s.key}`);
writeFileSync(path, JSON.stringify(manifest, null, 2) + "\n");
console.log(
  "package.json: contributes.configuration and restrictedConfigurations written from src/app/settings/",
);
