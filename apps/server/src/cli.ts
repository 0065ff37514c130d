import { ConfigError, loadConfig } from "@ensemble/kernel";
import { commands } from "./commands/index.ts";

const usage = `Usage: ensemble <command>

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(22)} ${c.summary}`)
  .join("\n")}
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help") {
    process.stdout.write(usage);
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage}`);
    return 1;
  }
  try {
    const config = loadConfig();
    return await command.run(rest, config);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 78;
    }
    if (e instanceof Error && e.name === "UsageError") {
      process.stderr.write(`${e.message}\n`);
      return 64;
    }
    throw e;
  }
}

const code = await main(process.argv.slice(2));
if (code !== 0 || !commands[process.argv[2] ?? ""]?.keepsRunning) process.exitCode = code;
