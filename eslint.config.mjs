// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "out/**",
      ".cache/**",
      "test-results/**",
      "bench/results/**",
      "*.vsix",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        URL: "readonly",
        AbortController: "readonly",
        AbortSignal: "readonly",
        fetch: "readonly",
        Buffer: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // CommonJS scripts (a --require preload).
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // src/core is pure: no vscode, no network, no other project folders.
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["vscode"], message: "src/core must not import vscode." },
            {
              group: ["../endpoints/*", "../extension/*", "../cli/*", "../../*"],
              message: "src/core imports nothing outside src/core.",
            },
            {
              group: ["node:http", "node:https", "node:net", "http", "https", "net", "openai"],
              message: "src/core does no network I/O.",
            },
          ],
        },
      ],
    },
  },
);
