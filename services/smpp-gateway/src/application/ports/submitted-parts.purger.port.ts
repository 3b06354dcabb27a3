/**
 * Deletes old rows of the map from SMSC message ids to platform messages (`submitted_parts`), across
 * tenants.
 *
 * @throws only for infrastructure faults.
 */
export interface SubmittedPartsPurger {
  /** Deletes up to `limit` parts submitted before `cutoff`, oldest first, in one transaction; answers how many. */
  deleteSubmittedBefore(cutoff: Date, limit: number): Promise<number>;
}
