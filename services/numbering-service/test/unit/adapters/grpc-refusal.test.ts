import { describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { numberingError, numberingErrors } from '../../../src/index.js';
import type { NumberingErrorCode } from '../../../src/index.js';
import { grpcRefusal } from '../../../src/adapters/grpc/numbering-grpc.server.js';

const codes = Object.keys(numberingErrors) as NumberingErrorCode[];

describe('gRPC status of each numbering refusal', () => {
  it.each([
    ['NUMBERING.CONFLICT', 'ABORTED'],
    ['NUMBERING.NUMBER_NOT_FOUND', 'NOT_FOUND'],
    ['NUMBERING.INVALID_ARGUMENT', 'INVALID_ARGUMENT'],
    ['NUMBERING.FORBIDDEN', 'PERMISSION_DENIED'],
    ['NUMBERING.NUMBER_NOT_AVAILABLE', 'FAILED_PRECONDITION'],
    ['NUMBERING.CATALOG_DUPLICATE', 'ALREADY_EXISTS'],
    ['NUMBERING.IMPORT_TOO_LARGE', 'RESOURCE_EXHAUSTED'],
  ] as const)('answers %s as %s', (code, expected) => {
    expect(status[grpcRefusal(numberingError(code, 'x')).code]).toBe(expected);
  });

  it('maps every code of the registry to a real gRPC status other than OK', () => {
    const statuses = codes.map((code) => grpcRefusal(numberingError(code, 'x')).code);

    expect(statuses.every((s) => typeof s === 'number' && s !== status.OK && status[s] !== undefined)).toBe(true);
  });

  it('carries the numbering code and the offending field in the trailing metadata', () => {
    const refusal = grpcRefusal(numberingError('NUMBERING.INVALID_ARGUMENT', 'bad', { field: 'number' }));

    expect([refusal.metadata?.get('numbering-error-code'), refusal.metadata?.get('numbering-error-field'), refusal.details]).toEqual([
      ['NUMBERING.INVALID_ARGUMENT'],
      ['number'],
      'bad',
    ]);
  });
});
