import { describe, expect, it } from 'vitest';
import { ProtoJsonError, validateLeaseJson } from '../../src/index.js';

describe('the proto3 JSON mapping of ValidateLease', () => {
  const { request, response } = validateLeaseJson();

  it('reads a request as grpc-js decodes it, absent fields at their defaults', () => {
    expect(request.fromJson({ sender: '4455', tenantId: 'tenant-t' })).toEqual({ sender: '4455', tenantId: 'tenant-t', use: '' });
  });

  it('prints every field of a response in lowerCamelCase, defaults included', () => {
    expect(response.toJson({ valid: false, reason: 'not_leased', leaseId: '', numberId: '', leaseEndsAt: '' })).toEqual({
      valid: false,
      reason: 'not_leased',
      leaseId: '',
      numberId: '',
      leaseEndsAt: '',
    });
  });

  it('refuses a field the message does not have, naming it', () => {
    expect(() => response.fromJson({ valid: true, lease_id: 'x' })).toThrow(new ProtoJsonError('ValidateLeaseResponse has no field lease_id (fields: valid, reason, leaseId, numberId, leaseEndsAt)'));
  });

  it('refuses a value of the wrong type', () => {
    expect(() => response.fromJson({ valid: 'yes' })).toThrow('ValidateLeaseResponse.valid must be a boolean');
  });

  it('refuses what is not a JSON object', () => {
    expect(() => request.fromJson(['4455'])).toThrow('ValidateLeaseRequest must be a JSON object');
  });
});
