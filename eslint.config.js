// Lint: JavaScript and TypeScript recommended rules everywhere, React hooks rules for the pages.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "node_modules/", ".cache/", "public/build/", "extensions/**/assets/*.min.js", "prisma/generated/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // A leading underscore marks a parameter kept for its position.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  { files: ["extensions/**/*.js"], languageOptions: { globals: { ...globals.browser }, sourceType: "script" } },
  { files: ["app/**/*.tsx"], ...reactHooks.configs.flat["recommended-latest"], languageOptions: { globals: { ...globals.browser } } },
);
