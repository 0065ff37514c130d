// @ts-check
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { builtinRules } from "eslint/use-at-your-own-risk";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/**
 * Lint = correctness rules + the import directions of DESIGN.md, written by
 * glob so that a new module is held to them without being named here.
 *
 * Each boundary is its own rule (`boundaries/<name>`): flat config lets a
 * later object for the same files replace an earlier setting of a rule
 * entirely, so one shared `no-restricted-imports` would silently lose a ban
 * wherever two globs overlap (a module's web/ is both "a module" and "browser
 * code"). The boundary rules are the built-in no-restricted-imports under
 * several names, extended to dynamic `import()` (the shell lazy-loads
 * modules). Cross-package imports go by package name only
 * (`boundaries/relative-within-package`), so the bans below need only match
 * package names, never relative paths.
 */
const root = path.dirname(fileURLToPath(import.meta.url));

/** Package names of the workspaces in one folder (`packages`, `modules`, `apps`), read from disk. */
function workspaceNames(folder) {
  return readdirSync(path.join(root, folder), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      try {
        const pkg = JSON.parse(readFileSync(path.join(root, folder, entry.name, "package.json"), "utf8"));
        return typeof pkg.name === "string" ? [pkg.name] : [];
      } catch {
        return [];
      }
    });
}
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
/** Platform packages (`@ensemble/kernel`, `protocol`, `client`, `testkit`, `ui`, …): the only `@ensemble/*` names a package may import. */
const platformPackages = workspaceNames("packages");

/** The root of the workspace (package) a file belongs to: `modules/chat`, `packages/kernel`, `apps/web`. */
function workspaceRoot(file) {
  const parts = path.relative(root, file).split(path.sep);
  if (parts[0] === ".." || path.isAbsolute(parts[0] ?? "")) return null;
  if (["modules", "packages", "apps"].includes(parts[0] ?? "") && parts.length > 2) {
    return path.join(root, parts[0] ?? "", parts[1] ?? "");
  }
  return null;
}

/** The import specifiers of a file: static, re-exports and `import("literal")`. */
function onImportSource(report) {
  const check = (node) => {
    if (node.source && node.source.type === "Literal" && typeof node.source.value === "string") {
      report(node, node.source.value);
    }
  };
  return {
    ImportDeclaration: check,
    ExportNamedDeclaration: check,
    ExportAllDeclaration: check,
    ImportExpression: check,
  };
}

/** @type {import("eslint").Rule.RuleModule} */
const relativeWithinPackage = {
  meta: {
    type: "problem",
    docs: { description: "A relative import stays inside its own workspace package." },
    schema: [],
    messages: {
      escapes:
        "'{{spec}}' leaves {{pkg}}: import another workspace by its package name (@ensemble/…), so the boundary rules see it.",
    },
  },
  create(context) {
    const file = context.filename;
    const pkgRoot = workspaceRoot(file);
    if (!pkgRoot) return {};
    return onImportSource((node, spec) => {
      if (!spec.startsWith(".")) return;
      const target = path.resolve(path.dirname(file), spec);
      const rel = path.relative(pkgRoot, target);
      if (rel.startsWith("..") || path.isAbsolute(rel)) {
        context.report({
          node,
          messageId: "escapes",
          data: { spec, pkg: path.relative(root, pkgRoot) || "the repository" },
        });
      }
    });
  },
};

const noRestrictedImports = builtinRules.get("no-restricted-imports");
if (!noRestrictedImports) throw new Error("eslint: built-in no-restricted-imports not found");
/** no-restricted-imports, also applied to `import("literal")`. */
const restrictImports = {
  ...noRestrictedImports,
  create(context) {
    const listeners = noRestrictedImports.create(context);
    const onImport = listeners.ImportDeclaration;
    return {
      ...listeners,
      ImportExpression(node) {
        if (onImport && node.source.type === "Literal" && typeof node.source.value === "string") {
          // The built-in handler reads only `source` (and `specifiers`, absent here): the whole module is restricted.
          onImport(/** @type {any} */ (node));
        }
      },
    };
  },
};

const boundaryNames = [
  "module-internals",
  "composition-root",
  "shared-portable",
  "browser-only",
  "browser-no-node",
  "packages-independent",
];
const boundaries = {
  rules: {
    "relative-within-package": relativeWithinPackage,
    ...Object.fromEntries(boundaryNames.map((name) => [name, restrictImports])),
  },
};

/** Specifier regexes (anchored), grouped by what they reach. */
const re = {
  node: `^(node:.*|(${builtinModules
    .filter((m) => !m.startsWith("_") && !m.startsWith("node:"))
    .map(escape)
    .join("|")})(/.*)?)$`,
  kernel: "^@ensemble/kernel(/.*)?$",
  compositionRoot: "^@ensemble/(server|web)(/.*)?$",
  anyServer: "^@ensemble/[^/]+/server(/.*)?$",
  anyWeb: "^@ensemble/[^/]+/web(/.*)?$",
  serverLibs:
    "^(fastify|@fastify/.*|kysely|pg|pg-.*|ioredis|sharp|pino|nodemailer|@node-rs/.*|web-push|prom-client|tar)(/.*)?$",
  webLibs: "^(react|react-.*|@mantine/.*|@tanstack/react-.*|@tabler/.*|i18next|workbox-.*)(/.*)?$",
  ownServerOrWeb: "^\\.\\.?/(.*/)?(server|web)(/.*)?$",
  ownServer: "^\\.\\.?/(.*/)?server(/.*)?$",
};
const ban = (regex, message) => ({ regex, message });

const testFiles = ["**/*.test.{ts,tsx}", "**/test/**"];
const browserCode = ["modules/*/web/**/*.{ts,tsx}", "apps/web/src/**/*.{ts,tsx}", "packages/ui/**/*.{ts,tsx}"];

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
    // Type-aware: a promise nobody awaits loses its rejection (an unhandled rejection ends the process), and a
    // promise-returning function where a void callback is expected runs unordered and unobserved.
    files: ["**/*.{ts,tsx,mts,cts}"],
    // The two programs `npm run check` type-checks: the server side and the browser side (apps/web and modules/*/web,
    // which need Vite's types). Named rather than found by the project service, which takes the nearest tsconfig.json
    // and so would put a module's web/ in the server program.
    languageOptions: {
      parserOptions: { project: ["./tsconfig.json", "./apps/web/tsconfig.json"], tsconfigRootDir: root },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          // react-router's navigate() returns a promise that settles when the navigation is done and never rejects
          // (a failing loader or component shows the route's error boundary): following a link needs no await.
          allowForKnownSafeCalls: [{ from: "package", package: "react-router", name: "NavigateFunction" }],
        },
      ],
      "@typescript-eslint/no-misused-promises": "error",
    },
  },
  {
    // React: the classic rules of hooks, plus those of v7's compiler-derived rules that catch real bugs in code the
    // React Compiler does not build (we do not run it). The others are off, see DECISIONS.md.
    files: ["{modules,apps,packages}/**/*.tsx", ...browserCode],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      "react-hooks/static-components": "error",
      "react-hooks/component-hook-factories": "error",
      "react-hooks/set-state-in-render": "error",
      "react-hooks/globals": "error",
      "react-hooks/use-memo": "error",
      "react-hooks/void-use-memo": "error",
      "react-hooks/error-boundaries": "error",
    },
  },

  // ---- Import boundaries (DESIGN.md layout) ----
  { plugins: { boundaries } },
  {
    // e2e, bench and scripts drive the whole product from outside the layering and may read its files.
    files: ["{modules,packages,apps}/**/*.{js,ts,tsx,mjs,mts,cts}"],
    rules: { "boundaries/relative-within-package": "error" },
  },
  {
    // Any module, named or not.
    files: ["modules/*/**/*.{ts,tsx}"],
    rules: {
      "boundaries/module-internals": [
        "error",
        {
          patterns: [
            ban(
              re.anyServer,
              "Reach another module through its shared/ contract or the event bus, never its server/ or web/ internals (inside your own module, import by relative path).",
            ),
            ban(
              re.anyWeb,
              "Reach another module through its shared/ contract or the event bus, never its server/ or web/ internals (inside your own module, import by relative path).",
            ),
          ],
        },
      ],
      "boundaries/composition-root": [
        "error",
        { patterns: [ban(re.compositionRoot, "Modules must not import the composition root (apps/*).")] },
      ],
    },
  },
  {
    // Imported by both sides, so portable: no Node, no platform server, no server or web libraries.
    files: ["modules/*/shared/**/*.{ts,tsx}", "packages/protocol/**/*.{ts,tsx}"],
    rules: {
      "boundaries/shared-portable": [
        "error",
        {
          patterns: [
            ban(re.ownServerOrWeb, "shared/ is imported by both sides: it never imports server/ or web/ code."),
            ban(re.anyServer, "shared/ is imported by both sides: it never imports server/ or web/ code."),
            ban(re.anyWeb, "shared/ is imported by both sides: it never imports server/ or web/ code."),
            ban(re.node, "shared/ is imported by both sides: no Node-only imports (node:*)."),
            ban(re.kernel, "shared/ is imported by both sides: it never imports the kernel."),
            ban(re.serverLibs, "shared/ is imported by both sides: no server libraries (fastify, kysely, pg, …)."),
            ban(re.webLibs, "shared/ is imported by both sides: no web libraries (react, mantine, …)."),
          ],
        },
      ],
    },
  },
  {
    // Runs in the browser: never the kernel, a server side or a server library.
    files: [...browserCode, "packages/client/**/*.{ts,tsx}"],
    rules: {
      "boundaries/browser-only": [
        "error",
        {
          patterns: [
            ban(
              re.kernel,
              "Browser code never imports the kernel: talk to the server over HTTP or the realtime client.",
            ),
            ban(re.anyServer, "Browser code never imports a module's server/."),
            ban(re.ownServer, "Browser code never imports a module's server/."),
            ban(re.compositionRoot.replace("(server|web)", "server"), "Browser code never imports the server app."),
            ban(re.serverLibs, "Browser code never imports server libraries (fastify, kysely, pg, ioredis, …)."),
          ],
        },
      ],
    },
  },
  {
    // Tests beside browser code run in Node (vitest) and may read files; what ships may not.
    files: [...browserCode, "packages/client/**/*.{ts,tsx}"],
    ignores: testFiles,
    rules: {
      "boundaries/browser-no-node": [
        "error",
        { patterns: [ban(re.node, "Browser code never imports Node built-ins (node:*).")] },
      ],
    },
  },
  {
    // Platform packages depend on platform packages only, whatever modules exist.
    files: ["packages/**/*.{ts,tsx}"],
    rules: {
      "boundaries/packages-independent": [
        "error",
        {
          patterns: [
            ban(
              `^@ensemble/(?!(${platformPackages.map((n) => escape(n.slice("@ensemble/".length))).join("|")})(/|$))`,
              "packages/* must not depend on modules/* or apps/* (DESIGN.md layout).",
            ),
          ],
        },
      ],
    },
  },
  {
    // The test kit starts the composition root; it still never imports a module.
    files: ["packages/testkit/**/*.{ts,tsx}"],
    rules: {
      "boundaries/packages-independent": [
        "error",
        {
          patterns: [
            ban(
              `^@ensemble/(?!(server|${platformPackages.map((n) => escape(n.slice("@ensemble/".length))).join("|")})(/|$))`,
              "packages/* must not depend on modules/* or apps/* (DESIGN.md layout); the test kit may start @ensemble/server.",
            ),
          ],
        },
      ],
    },
  },
);
