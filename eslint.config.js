// @ts-check
import tseslint from "typescript-eslint";

/**
 * Lint = correctness rules + the import directions of DESIGN.md:
 * packages/* never import modules/* or apps/*; a module never imports
 * another module's server/ or web/ internals (only its shared/ contract).
 */
const moduleNames = ["chat", "files", "docs", "boards", "meetings"];

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "data/**", "coverage/**", "apps/web/dev-dist/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        { selector: "TSEnumDeclaration", message: "Use a const object: enums are not erasable syntax." },
      ],
    },
  },
  {
    files: ["packages/**/*.{ts,tsx}"],
    ignores: ["packages/testkit/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "@ensemble/server",
                "@ensemble/server/*",
                "@ensemble/web",
                "@ensemble/web/*",
                "@ensemble/chat*",
                "@ensemble/files*",
                "@ensemble/docs*",
                "@ensemble/boards*",
                "@ensemble/meetings*",
                "**/modules/**",
                "**/apps/**",
              ],
              message: "packages/* must not depend on modules/* or apps/* (DESIGN.md layout).",
            },
          ],
        },
      ],
    },
  },
  ...moduleNames.map((name) => ({
    files: [`modules/${name}/**/*.{ts,tsx}`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              // `**/${n}/server/**` also catches relative paths (../../files/server/x.ts) that never spell `modules/`.
              group: moduleNames
                .filter((n) => n !== name)
                .flatMap((n) => [
                  `@ensemble/${n}/server*`,
                  `@ensemble/${n}/web*`,
                  `**/${n}/server/**`,
                  `**/${n}/web/**`,
                ]),
              message:
                "Reach another module through its shared/ contract or the event bus, never its server/ or web/ internals.",
            },
            {
              group: ["@ensemble/server", "@ensemble/server/*", "**/apps/**"],
              message: "Modules must not import the composition root.",
            },
          ],
        },
      ],
    },
  })),
  {
    files: [`modules/*/shared/**/*.{ts,tsx}`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/server/**", "**/web/**", "node:*"],
              message: "shared/ is imported by both sides: no server, web or Node-only imports.",
            },
          ],
        },
      ],
    },
  },
);
