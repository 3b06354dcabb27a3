/**
 * Subjects on the bus. In production the prefix is empty: an event is published on the subject
 * equal to its type (`config.value.set.v1`) and tenant events arrive on `tenant.created.v1`. Tests
 * give a unique prefix so that their streams never overlap another run's.
 */
export interface ConfigSubjects {
  /** The subject an event of this type is published or consumed on. */
  of(type: string): string;
  /** Every event this service produces (`config.>`). */
  readonly ownEvents: string;
}

export function configSubjects(prefix = ''): ConfigSubjects {
  const of = (type: string): string => (prefix === '' ? type : `${prefix}.${type}`);
  return { of, ownEvents: of('config.>') };
}
