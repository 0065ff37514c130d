/**
 * The bundled emoji set (no external fetch): Slack-style shortcodes for the
 * most used emoji, grouped for the picker. Shared so that the server keeps
 * custom emoji from taking one of these names.
 */
export const EMOJI_GROUPS: { key: string; items: [string, string][] }[] = [
  {
    key: "smileys",
    items: [
      ["smile", "😄"],
      ["grinning", "😀"],
      ["joy", "😂"],
      ["rofl", "🤣"],
      ["slightly_smiling_face", "🙂"],
      ["wink", "😉"],
      ["blush", "😊"],
      ["heart_eyes", "😍"],
      ["kissing_heart", "😘"],
      ["yum", "😋"],
      ["stuck_out_tongue", "😛"],
      ["thinking", "🤔"],
      ["neutral_face", "😐"],
      ["expressionless", "😑"],
      ["unamused", "😒"],
      ["roll_eyes", "🙄"],
      ["grimacing", "😬"],
      ["relieved", "😌"],
      ["pensive", "😔"],
      ["sleepy", "😪"],
      ["sleeping", "😴"],
      ["mask", "😷"],
      ["nerd_face", "🤓"],
      ["sunglasses", "😎"],
      ["confused", "😕"],
      ["worried", "😟"],
      ["open_mouth", "😮"],
      ["astonished", "😲"],
      ["flushed", "😳"],
      ["cry", "😢"],
      ["sob", "😭"],
      ["scream", "😱"],
      ["angry", "😠"],
      ["rage", "😡"],
      ["sweat_smile", "😅"],
      ["innocent", "😇"],
      ["upside_down_face", "🙃"],
      ["partying_face", "🥳"],
      ["star_struck", "🤩"],
      ["hugs", "🤗"],
      ["shushing_face", "🤫"],
      ["zipper_mouth_face", "🤐"],
    ],
  },
  {
    key: "people",
    items: [
      ["+1", "👍"],
      ["thumbsup", "👍"],
      ["-1", "👎"],
      ["thumbsdown", "👎"],
      ["ok_hand", "👌"],
      ["clap", "👏"],
      ["raised_hands", "🙌"],
      ["pray", "🙏"],
      ["wave", "👋"],
      ["muscle", "💪"],
      ["point_up", "☝️"],
      ["point_right", "👉"],
      ["v", "✌️"],
      ["crossed_fingers", "🤞"],
      ["handshake", "🤝"],
      ["eyes", "👀"],
      ["brain", "🧠"],
      ["facepalm", "🤦"],
      ["shrug", "🤷"],
      ["raising_hand", "🙋"],
      ["man_technologist", "👨‍💻"],
      ["woman_technologist", "👩‍💻"],
    ],
  },
  {
    key: "nature",
    items: [
      ["sunny", "☀️"],
      ["cloud", "☁️"],
      ["umbrella", "☔"],
      ["snowflake", "❄️"],
      ["zap", "⚡"],
      ["fire", "🔥"],
      ["rainbow", "🌈"],
      ["seedling", "🌱"],
      ["evergreen_tree", "🌲"],
      ["four_leaf_clover", "🍀"],
      ["rose", "🌹"],
      ["sunflower", "🌻"],
      ["dog", "🐶"],
      ["cat", "🐱"],
      ["bee", "🐝"],
      ["bug", "🐛"],
      ["turtle", "🐢"],
      ["unicorn", "🦄"],
    ],
  },
  {
    key: "objects",
    items: [
      ["coffee", "☕"],
      ["tea", "🍵"],
      ["croissant", "🥐"],
      ["baguette_bread", "🥖"],
      ["cheese", "🧀"],
      ["wine_glass", "🍷"],
      ["beer", "🍺"],
      ["cake", "🍰"],
      ["birthday", "🎂"],
      ["tada", "🎉"],
      ["gift", "🎁"],
      ["balloon", "🎈"],
      ["trophy", "🏆"],
      ["medal", "🏅"],
      ["soccer", "⚽"],
      ["computer", "💻"],
      ["phone", "📞"],
      ["email", "📧"],
      ["memo", "📝"],
      ["calendar", "📅"],
      ["pushpin", "📌"],
      ["paperclip", "📎"],
      ["lock", "🔒"],
      ["key", "🔑"],
      ["bulb", "💡"],
      ["books", "📚"],
      ["chart_with_upwards_trend", "📈"],
      ["hammer_and_wrench", "🛠️"],
      ["rocket", "🚀"],
      ["bell", "🔔"],
    ],
  },
  {
    key: "symbols",
    items: [
      ["heart", "❤️"],
      ["blue_heart", "💙"],
      ["green_heart", "💚"],
      ["yellow_heart", "💛"],
      ["purple_heart", "💜"],
      ["broken_heart", "💔"],
      ["sparkles", "✨"],
      ["star", "⭐"],
      ["100", "💯"],
      ["white_check_mark", "✅"],
      ["heavy_check_mark", "✔️"],
      ["x", "❌"],
      ["warning", "⚠️"],
      ["no_entry", "⛔"],
      ["question", "❓"],
      ["exclamation", "❗"],
      ["boom", "💥"],
      ["hourglass", "⌛"],
      ["arrow_right", "➡️"],
      ["arrow_left", "⬅️"],
      ["arrow_up", "⬆️"],
      ["arrow_down", "⬇️"],
      ["recycle", "♻️"],
      ["fr", "🇫🇷"],
      ["eu", "🇪🇺"],
      ["speech_balloon", "💬"],
      ["zzz", "💤"],
      ["red_circle", "🔴"],
      ["green_circle", "🟢"],
      ["large_blue_circle", "🔵"],
    ],
  },
];

/** Every bundled shortcode name: custom emoji may not shadow them. */
export const BUNDLED_EMOJI_NAMES: ReadonlySet<string> = new Set(
  EMOJI_GROUPS.flatMap((g) => g.items.map(([name]) => name)),
);

/** A custom emoji name: what `:name:` may hold. */
export const CUSTOM_EMOJI_NAME = /^[a-z0-9_+-]{2,32}$/;

/** An emoji uploaded by an administrator, used as `:name:` in messages and reactions. */
export interface CustomEmoji {
  name: string;
  /** Versioned address of the image (changes when the name is reused for another image). */
  url: string;
  createdBy: { id: string; username: string; displayName: string } | null;
  createdAt: string;
}

/** Realtime topic every signed-in person may follow to hear about custom emoji changes. */
export const CUSTOM_EMOJI_TOPIC = "chat:emoji";

export interface CustomEmojiEventPayloads {
  "chat.emoji.created": { emoji: CustomEmoji };
  "chat.emoji.deleted": { name: string };
}
