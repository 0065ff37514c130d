/**
 * Deterministic French-like message text for the chat bench's 1,000,000
 * rows: a Zipf-shaped vocabulary (real words with accents, then synthetic
 * ones), so a search term's frequency is known in advance.
 */
const REAL = (
  "le la les de des un une et à en pour dans sur avec que qui pas plus ce cette nous vous il elle on est sont été " +
  "réunion demain matin après-midi soir semaine prochaine dossier document fichier version envoyé reçu merci bonjour salut " +
  "client équipe budget réponse problème solution idée question réponse café déjeuner bureau télétravail congé " +
  "présentation rapport tableau chiffres compte rendu réseau serveur sauvegarde mise à jour sécurité accès mot passe " +
  "développement développeur développer déployé production recette test intégration qualité délai priorité tâche"
).split(" ");

const SYLLABLES = [
  "ba",
  "ré",
  "lo",
  "mi",
  "ta",
  "ne",
  "vo",
  "ru",
  "ché",
  "pa",
  "do",
  "li",
  "sé",
  "ka",
  "fu",
  "ga",
  "mé",
  "zo",
  "pi",
  "tè",
];

function synthetic(i: number): string {
  let w = "";
  let n = i + 7;
  for (let k = 0; k < 3; k++) {
    w += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length) + k * 3;
  }
  return w;
}

const VOCAB = [...REAL, ...Array.from({ length: 4000 }, (_, i) => synthetic(i))];
// Cumulative Zipf weights (s = 1): the first words are the most frequent.
const CUMULATIVE: number[] = [];
{
  let sum = 0;
  for (let r = 1; r <= VOCAB.length; r++) CUMULATIVE.push((sum += 1 / r));
}
const TOTAL = CUMULATIVE.at(-1)!;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(r: number): string {
  const x = r * TOTAL;
  let lo = 0;
  let hi = CUMULATIVE.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CUMULATIVE[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return VOCAB[lo]!;
}

/** The search terms the bench asks for, with what they exercise. */
export const SEARCH_TERMS = [
  { label: "common word", q: "projet", note: "in ~20% of messages" },
  { label: "rare word", q: "xylophone", note: "in 1 message in 50,000" },
  { label: "prefix", q: "dévelop", note: "développement / développeur / développer" },
  { label: "accented, folded", q: "ELEVE", note: "matches élève / élèves" },
] as const;

/** The text of message `seq`: 6–14 Zipf words, plus the planted search terms at known rates. */
export function messageText(seq: number): string {
  const rnd = mulberry32(seq * 2654435761);
  const n = 6 + Math.floor(rnd() * 9);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(pick(rnd()));
  if (rnd() < 0.2) words.splice(Math.floor(rnd() * words.length), 0, "projet");
  if (rnd() < 0.005) words.push(rnd() < 0.5 ? "élève" : "élèves");
  if (seq % 50_000 === 7) words.push("xylophone");
  return words.join(" ");
}
