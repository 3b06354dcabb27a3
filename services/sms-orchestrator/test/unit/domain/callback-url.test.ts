import { describe, expect, it } from 'vitest';
import { CallbackUrl } from '../../../src/domain/callback-url.js';

const production = { allowLoopbackHttp: false };
const development = { allowLoopbackHttp: true };

const messageFor = (raw: string, policy = production): string | null => {
  const result = CallbackUrl.parse(raw, policy);
  return result.ok ? null : result.error.message;
};

describe('CallbackUrl', () => {
  it('accepts an https URL and keeps its normalised form', () => {
    const result = CallbackUrl.parse('https://Hooks.Example.com/sms?x=1', production);
    expect(result.ok && result.value.href).toBe('https://hooks.example.com/sms?x=1');
  });

  it('refuses plain http in production', () => {
    expect(messageFor('http://hooks.example.com/sms')).toBe('must use https');
  });

  it('refuses http to localhost in production', () => {
    expect(messageFor('http://localhost:3000/cb')).toBe('must use https');
  });

  it('accepts http to localhost outside production', () => {
    expect(CallbackUrl.parse('http://localhost:3000/cb', development).ok).toBe(true);
  });

  it('accepts http to 127.0.0.1 and [::1] outside production', () => {
    expect(CallbackUrl.parse('http://127.0.0.1:3000/cb', development).ok).toBe(true);
    expect(CallbackUrl.parse('http://[::1]:3000/cb', development).ok).toBe(true);
  });

  it('refuses http to a public host outside production, saying localhost is the exception', () => {
    expect(messageFor('http://hooks.example.com/', development)).toBe('must use https (plain http only for localhost)');
  });

  it('refuses other schemes', () => {
    expect(messageFor('ftp://hooks.example.com/')).toBe('must use https');
  });

  it('refuses a relative URL', () => {
    expect(messageFor('/callbacks/sms')).toBe('must be an absolute URL');
  });

  it('refuses credentials in the URL', () => {
    expect(messageFor('https://user:secret@hooks.example.com/')).toBe('must not contain a user name or password');
  });

  it('refuses a user name alone in the URL', () => {
    expect(messageFor('https://user@hooks.example.com/')).toBe('must not contain a user name or password');
  });

  it('refuses a URL longer than 2048 characters', () => {
    expect(messageFor(`https://hooks.example.com/${'a'.repeat(2048)}`)).toBe('must be at most 2048 characters');
  });

  it('refuses https to loopback, private, link-local and CGNAT addresses in production', () => {
    for (const host of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', 'localhost', 'api.localhost', '[::1]', '[fd00::1]', '[fe80::1]', '[::ffff:10.0.0.1]']) {
      expect(messageFor(`https://${host}/cb`), host).toBe('must not point to a loopback, private or link-local address');
    }
  });

  it('accepts https to public IP literals in production', () => {
    for (const host of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '[2001:db8::1]']) {
      expect(CallbackUrl.parse(`https://${host}/cb`, production).ok, host).toBe(true);
    }
  });

  it('recognises an integer-spelled loopback address after URL normalisation', () => {
    expect(messageFor('https://2130706433/cb')).toBe('must not point to a loopback, private or link-local address');
  });

  it('accepts https to localhost outside production', () => {
    expect(CallbackUrl.parse('https://localhost/cb', development).ok).toBe(true);
  });

  it('uses the error code ORCH.INVALID_CALLBACK_URL', () => {
    const result = CallbackUrl.parse('nope', production);
    expect(!result.ok && result.error.code).toBe('ORCH.INVALID_CALLBACK_URL');
  });
});
