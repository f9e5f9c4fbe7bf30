import { SETTING_GROUP_TITLES, SETTING_SPECS, SETTINGS_SECTION } from "./specs.js";

/**
 * The `contributes.configuration` section of package.json for SETTING_SPECS. A unit test checks
 * the manifest against it; after changing a setting, write it with
 * `node --import tsx test/unit/extension/write-manifest-settings.ts`.
 */
export function configurationContribution(): object[] {
  return Object.entries(SETTING_GROUP_TITLES).map(([group, title], i) => ({
    id: `${SETTINGS_SECTION}.${group}`,
    title,
    order: i + 1,
    properties: Object.fromEntries(
      SETTING_SPECS.filter((s) => s.group === group).map((s, j) => [
        `${SETTINGS_SECTION}.${s.key}`,
        {
          type: s.type === "string[]" ? "array" : s.type === "integer?" ? ["integer", "null"] : s.type,
          ...(s.type === "string[]" ? { items: { type: "string" } } : {}),
          default: s.default,
          ...(s.enum ? { enum: [...s.enum] } : {}),
          ...(s.enumDescriptions ? { enumDescriptions: [...s.enumDescriptions] } : {}),
          ...(s.minimum !== undefined ? { minimum: s.minimum } : {}),
          ...(s.maximum !== undefined ? { maximum: s.maximum } : {}),
          scope: s.scope,
          markdownDescription: s.description,
          order: j + 1,
        },
      ]),
    ),
  }));
}
