/**
 * Who is calling, as the edge established it: a service from its mTLS client certificate, a
 * person from their token, or nobody. Use cases that hand out secrets decide on it.
 */
export type CallerIdentity =
  | { readonly kind: 'service'; readonly service: string }
  | { readonly kind: 'user'; readonly subject: string; readonly roles: readonly string[] }
  | { readonly kind: 'anonymous' };

/** The service identity of the SMPP gateway: the only caller that may read bind passwords. */
export const SMPP_GATEWAY_SERVICE = 'smpp-gateway';
