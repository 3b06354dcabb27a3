import type { Operator } from '../domain/operator.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';

const PAGE = 500;

/** Every operator that is not deleted, in creation order, read a page at a time. */
export async function liveOperators(operators: Pick<OperatorRepository, 'list'>): Promise<Operator[]> {
  const all: Operator[] = [];
  for (;;) {
    const page = await operators.list({ statuses: ['active', 'suspended'], limit: PAGE, afterId: all.at(-1)?.id ?? null });
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}
