/**
 * A compact, bundled emoji set (no external fetch): Slack-style shortcodes
 * for the most used emoji, grouped for the picker.
 */
export const EMOJI_GROUPS: { key: string; items: [string, string][] }[] = [
  {
    key: "smileys",
    items: [
      ["smile", "😄"], ["grinning", "😀"], ["joy", "😂"], ["rofl", "🤣"], ["slightly_smiling_face", "🙂"], ["wink", "😉"],
      ["blush", "😊"], ["heart_eyes", "😍"], ["kissing_heart", "😘"], ["yum", "😋"], ["stuck_out_tongue", "😛"], ["thinking", "🤔"],
      ["neutral_face", "😐"], ["expressionless", "😑"], ["unamused", "😒"], ["roll_eyes", "🙄"], ["grimacing", "😬"], ["relieved", "😌"],
      ["pensive", "😔"], ["sleepy", "😪"], ["sleeping", "😴"], ["mask", "😷"], ["nerd_face", "🤓"], ["sunglasses", "😎"],
      ["confused", "😕"], ["worried", "😟"], ["open_mouth", "😮"], ["astonished", "😲"], ["flushed", "😳"], ["cry", "😢"],
      ["sob", "😭"], ["scream", "😱"], ["angry", "😠"], ["rage", "😡"], ["sweat_smile", "😅"], ["innocent", "😇"],
      ["upside_down_face", "🙃"], ["partying_face", "🥳"], ["star_struck", "🤩"], ["hugs", "🤗"], ["shushing_face", "🤫"], ["zipper_mouth_face", "🤐"],
    ],
  },
  {
    key: "people",
    items: [
      ["+1", "👍"], ["thumbsup", "👍"], ["-1", "👎"], ["thumbsdown", "👎"], ["ok_hand", "👌"], ["clap", "👏"],
      ["raised_hands", "🙌"], ["pray", "🙏"], ["wave", "👋"], ["muscle", "💪"], ["point_up", "☝️"], ["point_right", "👉"],
      ["v", "✌️"], ["crossed_fingers", "🤞"], ["handshake", "🤝"], ["eyes", "👀"], ["brain", "🧠"], ["facepalm", "🤦"],
      ["shrug", "🤷"], ["raising_hand", "🙋"], ["man_technologist", "👨‍💻"], ["woman_technologist", "👩‍💻"],
    ],
  },
  {
    key: "nature",
    items: [
      ["sunny", "☀️"], ["cloud", "☁️"], ["umbrella", "☔"], ["snowflake", "❄️"], ["zap", "⚡"], ["fire", "🔥"],
      ["rainbow", "🌈"], ["seedling", "🌱"], ["evergreen_tree", "🌲"], ["four_leaf_clover", "🍀"], ["rose", "🌹"], ["sunflower", "🌻"],
      ["dog", "🐶"], ["cat", "🐱"], ["bee", "🐝"], ["bug", "🐛"], ["turtle", "🐢"], ["unicorn", "🦄"],
    ],
  },
  {
    key: "objects",
    items: [
      ["coffee", "☕"], ["tea", "🍵"], ["croissant", "🥐"], ["baguette_bread", "🥖"], ["cheese", "🧀"], ["wine_glass", "🍷"],
      ["beer", "🍺"], ["cake", "🍰"], ["birthday", "🎂"], ["tada", "🎉"], ["gift", "🎁"], ["balloon", "🎈"],
      ["trophy", "🏆"], ["medal", "🏅"], ["soccer", "⚽"], ["computer", "💻"], ["phone", "📞"], ["email", "📧"],
      ["memo", "📝"], ["calendar", "📅"], ["pushpin", "📌"], ["paperclip", "📎"], ["lock", "🔒"], ["key", "🔑"],
      ["bulb", "💡"], ["books", "📚"], ["chart_with_upwards_trend", "📈"], ["hammer_and_wrench", "🛠️"], ["rocket", "🚀"], ["bell", "🔔"],
    ],
  },
  {
    key: "symbols",
    items: [
      ["heart", "❤️"], ["blue_heart", "💙"], ["green_heart", "💚"], ["yellow_heart", "💛"], ["purple_heart", "💜"], ["broken_heart", "💔"],
      ["sparkles", "✨"], ["star", "⭐"], ["100", "💯"], ["white_check_mark", "✅"], ["heavy_check_mark", "✔️"], ["x", "❌"],
      ["warning", "⚠️"], ["no_entry", "⛔"], ["question", "❓"], ["exclamation", "❗"], ["boom", "💥"], ["hourglass", "⌛"],
      ["arrow_right", "➡️"], ["arrow_left", "⬅️"], ["arrow_up", "⬆️"], ["arrow_down", "⬇️"], ["recycle", "♻️"], ["fr", "🇫🇷"],
      ["eu", "🇪🇺"], ["speech_balloon", "💬"], ["zzz", "💤"], ["red_circle", "🔴"], ["green_circle", "🟢"], ["large_blue_circle", "🔵"],
    ],
  },
];

export const EMOJI: ReadonlyMap<string, string> = new Map(EMOJI_GROUPS.flatMap((g) => g.items));

/** `:name:` becomes its emoji; an unknown name stays as typed. */
export function replaceShortcodes(text: string): string {
  return text.replace(/:([a-z0-9_+-]{1,40}):/g, (all, name: string) => EMOJI.get(name) ?? all);
}

/** Shortcodes starting with a prefix, for the composer's `:` autocomplete. */
export function findEmoji(prefix: string, limit = 8): [string, string][] {
  const p = prefix.toLowerCase();
  const out: [string, string][] = [];
  for (const [name, ch] of EMOJI) if (name.startsWith(p) && out.length < limit) out.push([name, ch]);
  return out;
}

/** A reaction is stored as its shortcode name (`+1`); unknown names show as `:name:`. */
export const emojiOf = (name: string): string => EMOJI.get(name) ?? (/^[a-z0-9_+-]+$/.test(name) ? `:${name}:` : name);
