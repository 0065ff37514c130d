import { describe, expect, it } from "vitest";
import { commandSuggestions } from "./slash.tsx";

const commands = [
  { command: "/me", description: "Décrire une action", builtIn: true },
  { command: "/mute", description: "Rendre le salon silencieux", builtIn: true },
  { command: "/meteo", description: "Météo d’une ville", builtIn: false, id: "c1" },
];

describe("slash command suggestions in the composer", () => {
  it("lists the commands a leading /word may name, built-in and custom, with their hint", () => {
    expect(commandSuggestions("/me", 3, commands).map((s) => s.label)).toEqual(["/me", "/meteo"]);
    expect(commandSuggestions("/", 1, commands)).toHaveLength(3);
    expect(commandSuggestions("/MET", 4, commands)[0]).toEqual({
      key: "cmd:/meteo",
      insert: "/meteo ",
      label: "/meteo",
      hint: "Météo d’une ville",
    });
  });

  it("offers nothing once the command is typed, in the middle of a message, or before the caret's word", () => {
    expect(commandSuggestions("/meteo Lyon", 11, commands)).toEqual([]);
    expect(commandSuggestions("voir /me", 8, commands)).toEqual([]);
    expect(commandSuggestions("/me", 0, commands)).toEqual([]);
    expect(commandSuggestions("/zz", 3, commands)).toEqual([]);
  });
});
