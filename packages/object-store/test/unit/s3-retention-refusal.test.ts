import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { isRetentionRefusal } from '../../src/s3.object-store.js';

const s3Error = (name: string, status: number, message: string): S3ServiceException =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });

describe('recognising an Object Lock refusal from S3', () => {
  it('recognises AccessDenied because the object is protected by Object Lock', () => {
    expect(isRetentionRefusal(s3Error('AccessDenied', 403, 'Access Denied because object protected by object lock.'))).toBe(true);
  });

  it('recognises InvalidRequest about retention', () => {
    expect(isRetentionRefusal(s3Error('InvalidRequest', 400, 'Object is WORM protected and cannot be overwritten'))).toBe(true);
  });

  it('does not take a plain AccessDenied for retention', () => {
    expect(isRetentionRefusal(s3Error('AccessDenied', 403, 'Access Denied'))).toBe(false);
  });

  it('does not take other errors for retention', () => {
    expect(isRetentionRefusal(new Error('object lock'))).toBe(false);
  });
});
