/**
 * What the built-in slash commands answer, in the language of the person who
 * typed them (their profile's locale; French, the organisation's, otherwise).
 * Only that person sees these answers, so they follow that person's language.
 */
const ANSWERS = {
  topicSet: { fr: "Sujet du salon : {v}", en: "Room topic: {v}" },
  topicCleared: { fr: "Le sujet du salon a été effacé.", en: "The room topic was cleared." },
  invited: { fr: "@{v} a été invité·e.", en: "@{v} was invited." },
  userMuted: { fr: "@{v} ne peut plus écrire dans ce salon.", en: "@{v} can no longer post in this room." },
  roomMuted: { fr: "Salon rendu silencieux.", en: "Room muted: no more notifications from it." },
  userUnmuted: { fr: "@{v} peut de nouveau écrire.", en: "@{v} can post again." },
  roomUnmuted: { fr: "Notifications du salon réactivées.", en: "Room notifications are back on." },
} as const;

export type SlashAnswer = keyof typeof ANSWERS;

export function slashAnswer(locale: string | undefined, key: SlashAnswer, value = ""): string {
  const lang = locale?.toLowerCase().startsWith("en") ? "en" : "fr";
  return ANSWERS[key][lang].replace("{v}", value);
}
