import { kernelProblemCodes, type ProblemCodeTable } from "@ensemble/protocol";

export class ProblemCodeError extends Error {}

const who = (owner: string) => (owner === "kernel" ? "the kernel" : `module "${owner}"`);

/**
 * The problem codes this server answers with: the kernel's, then each
 * module's `problemCodes`, registered at start. A code declared by two
 * owners refuses the start, naming both; a code nobody registered is answered
 * as an internal error (see the problem handler).
 */
export class ProblemRegistry {
  readonly #codes = new Map<string, { owner: string; status: number }>();

  constructor() {
    this.register("kernel", kernelProblemCodes);
  }

  register(owner: string, codes: ProblemCodeTable): void {
    for (const [code, status] of Object.entries(codes)) {
      const known = this.#codes.get(code);
      if (known)
        throw new ProblemCodeError(
          known.owner === owner
            ? `${who(owner)} registers the problem code "${code}" twice`
            : `${who(known.owner)} and ${who(owner)} both declare the problem code "${code}"`,
        );
      this.#codes.set(code, { owner, status });
    }
  }

  has(code: string): boolean {
    return this.#codes.has(code);
  }

  /** Every registered code with its status and owner, sorted by code (the OpenAPI document lists them). */
  list(): { code: string; status: number; owner: string }[] {
    return [...this.#codes].map(([code, v]) => ({ code, ...v })).sort((a, b) => a.code.localeCompare(b.code));
  }
}
