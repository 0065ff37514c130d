import type { FastifyRequest } from "fastify";

/** The grant page's texts: French first (the organisation's language), English when the browser prefers it. */
export const loginFlowTexts = {
  fr: {
    title: "Connecter une application",
    signIn: "Connectez-vous à Ensemble pour autoriser cette application.",
    signInLink: "Se connecter",
    continue: "Session ouverte : continuer",
    ask: (client: string, user: string) =>
      `L'application « ${client} » demande l'accès à vos fichiers en tant que ${user}. Elle recevra un mot de passe d'application, révocable à tout moment dans vos paramètres.`,
    grant: "Autoriser l'accès",
    granted: "Accès autorisé. Vous pouvez fermer cette fenêtre et revenir à l'application.",
    gone: "Ce lien de connexion n'est plus valable. Recommencez depuis l'application.",
  },
  en: {
    title: "Connect an app",
    signIn: "Sign in to Ensemble to allow this app.",
    signInLink: "Sign in",
    continue: "Signed in: continue",
    ask: (client: string, user: string) =>
      `The app “${client}” asks for access to your files as ${user}. It will get an app password, which you can revoke at any time in your settings.`,
    grant: "Grant access",
    granted: "Access granted. You may close this window and go back to the app.",
    gone: "This sign-in link is no longer valid. Start again from the app.",
  },
};
type Texts = (typeof loginFlowTexts)["fr"];

export const textsFor = (req: FastifyRequest): { lang: "fr" | "en"; t: Texts } => {
  const first = /^\s*([a-z]{2})/i.exec(req.headers["accept-language"] ?? "")?.[1]?.toLowerCase();
  return first === "en" ? { lang: "en", t: loginFlowTexts.en } : { lang: "fr", t: loginFlowTexts.fr };
};

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A small page of its own (no script: the grant is a plain form, its CSRF token a hidden field). */
export function page(lang: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} · Ensemble</title></head>
<body><main><h1>${esc(title)}</h1>
${body}
</main></body>
</html>
`;
}

export const paragraph = (text: string): string => `<p>${esc(text)}</p>`;
export const link = (href: string, text: string): string => `<p><a href="${esc(href)}">${esc(text)}</a></p>`;
export const grantForm = (action: string, csrf: string, label: string): string =>
  `<form method="post" action="${esc(action)}"><input type="hidden" name="csrf" value="${esc(csrf)}"><button type="submit">${esc(label)}</button></form>`;
