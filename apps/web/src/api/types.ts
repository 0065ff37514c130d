/** The shapes the shell reads from the API (see /api/openapi.json). */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  role: "admin" | "member" | "guest";
  locale: "fr" | "en";
  timeZone: string;
  twoFactorEnabled: boolean;
  hasPassword: boolean;
  avatarUrl?: string | null;
  statusMessage?: string | null;
  createdAt: string;
}

export interface Branding {
  name: string;
  color: string;
  defaultLocale: "fr" | "en";
  logoUrl: string | null;
}

export interface SignInAnswer {
  user: Me;
  csrfToken: string;
  mustEnrolTwoFactor?: boolean;
}
