import type { NumberView as ProtoNumberView, PublicNumberView as ProtoPublicNumberView } from './numbering-contract.js';
import type { NumberView, PublicNumberView } from '../../index.js';

/** The application's number view as the proto message (absent sub-messages instead of nulls). */
export function protoNumberView(view: NumberView): ProtoNumberView {
  return {
    id: view.id,
    number: view.number,
    kind: view.kind,
    tier: view.tier,
    operatorCode: view.operatorCode,
    contractId: view.contractId,
    blockId: view.blockId,
    poolId: view.poolId,
    state: view.state,
    version: view.version,
    updatedAt: view.updatedAt,
    ...(view.reservation === null ? {} : { reservation: { ...view.reservation } }),
    ...(view.lease === null ? {} : { lease: { ...view.lease, uses: [...view.lease.uses] } }),
    ...(view.quarantine === null ? {} : { quarantine: { ...view.quarantine } }),
    ...(view.recall === null ? {} : { recall: { ...view.recall } }),
    ...(view.retirement === null ? {} : { retirement: { ...view.retirement } }),
  };
}

export const protoPublicNumberView = (view: PublicNumberView): ProtoPublicNumberView => ({ ...view });
