#!/usr/bin/env node
// Entry point for `npx ensemble`: Node 24 runs the TypeScript sources directly (type stripping).
await import("../src/cli.ts");
