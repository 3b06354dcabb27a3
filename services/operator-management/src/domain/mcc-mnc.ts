import { issue, type FieldIssue } from './field-issue.js';

/** Mobile country code of Afghanistan (ITU-T E.212). */
export const AFGHANISTAN_MCC = '412';

/** MCCs of the countries the platform knows; an operator in one of them must use one of its MCCs. */
const COUNTRY_MCCS: Readonly<Record<string, readonly string[]>> = { AF: [AFGHANISTAN_MCC] };

const MCC = /^[0-9]{3}$/;
const MNC = /^[0-9]{2,3}$/;
const COUNTRY = /^[A-Z]{2}$/;

export type OperatorKind = 'mno' | 'aggregator';

/**
 * Issues with an operator's country and MCC/MNC. A mobile network operator has both; an
 * aggregator link (an interconnect hub, not a radio network) may have neither, but never only one.
 */
export function mccMncIssues(kind: OperatorKind, mcc: string | null, mnc: string | null, country: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!COUNTRY.test(country)) issues.push(issue('country', 'must be an ISO 3166-1 alpha-2 code such as AF'));
  if (mcc === null && mnc === null) {
    if (kind === 'mno') issues.push(issue('mcc', 'a mobile network operator needs an MCC and an MNC'));
    return issues;
  }
  if (mcc === null) return [...issues, issue('mcc', 'is required when an MNC is given')];
  if (mnc === null) return [...issues, issue('mnc', 'is required when an MCC is given')];
  if (!MCC.test(mcc)) {
    issues.push(issue('mcc', 'must be exactly 3 digits'));
  } else {
    const allowed = COUNTRY_MCCS[country];
    if (allowed !== undefined && !allowed.includes(mcc)) {
      issues.push(issue('mcc', `${mcc} is not an MCC of ${country} (expected ${allowed.join(' or ')})`));
    }
  }
  if (!MNC.test(mnc)) issues.push(issue('mnc', 'must be 2 or 3 digits'));
  return issues;
}
