/**
 * One registry of stable error codes per service (`NUMBERING.CONFLICT`). The HTTP edge turns a
 * code into a problem+json `type` URI; the docs list every code (a test checks that).
 */
export interface ErrorDefinition {
  /** Short, human title; becomes the problem+json `title`. */
  readonly title: string;
  /** HTTP status the edge answers with. */
  readonly status: number;
  /** When this error happens, in one sentence; documented for API users. */
  readonly cause: string;
}

export type ErrorRegistry<Code extends string = string> = Readonly<Record<Code, ErrorDefinition>>;

const CODE = /^[A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*$/;

export function defineErrors<Code extends string>(registry: Record<Code, ErrorDefinition>): ErrorRegistry<Code> {
  for (const [code, def] of Object.entries<ErrorDefinition>(registry)) {
    if (!CODE.test(code)) throw new Error(`error code ${code} must look like AREA.NAME in capitals`);
    if (def.status < 400 || def.status > 599) throw new Error(`error code ${code} has status ${def.status}, expected 4xx or 5xx`);
  }
  return Object.freeze({ ...registry });
}

/** The stable problem `type` URI for an error code. */
export const problemTypeFor = (code: string): string =>
  `https://errors.sms-platform.dev/${code.toLowerCase().replace(/[._]/g, '-')}`;
