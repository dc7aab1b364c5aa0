import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const base = { SESSION_SECRET: 'q7Vd-2mKx_Lp9ZrT4wNc8YbH1gFs6JeA', DATA_DIR: '/tmp/solicitudes-config-test' };

describe('configuration', () => {
  it('applies defaults and freezes the result', () => {
    const c = loadConfig({ ...base });
    expect(c.PORT).toBe(3000);
    expect(c.appUrl).toBe('http://localhost:3000');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'mysql://x'],
    ['SMTP_URL', 'http://mail'],
    ['NODE_ENV', 'staging'],
    ['APP_URL', 'no es una url'],
  ])('refuses a bad %s naming the variable', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(new RegExp(name));
  });

  it('leaves replies by email off unless configured; a message may be as large as an upload unless told', () => {
    const off = loadConfig({ ...base, UPLOAD_MAX_MB: '7' });
    expect([off.INBOUND_MAIL_DOMAIN, off.INBOUND_SMTP_PORT, off.INBOUND_MAX_MB]).toEqual([undefined, undefined, 7]);
    const on = loadConfig({ ...base, INBOUND_MAIL_DOMAIN: 'Respuestas.Example.com', INBOUND_SMTP_PORT: '2525' });
    expect([on.INBOUND_MAIL_DOMAIN, on.INBOUND_SMTP_PORT, on.INBOUND_SMTP_HOST]).toEqual([
      'respuestas.example.com',
      2525,
      '127.0.0.1',
    ]);
    expect(() => loadConfig({ ...base, INBOUND_MAIL_DOMAIN: 'r+x@example' })).toThrow(/INBOUND_MAIL_DOMAIN/);
  });

  it('requires SESSION_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: base.DATA_DIR })).toThrow(/SESSION_SECRET/);
  });

  it.each([
    ['32 identical characters', 'x'.repeat(32)],
    ['two characters repeated', 'ab'.repeat(20)],
    ['a few characters repeated', 'abc123'.repeat(6)],
  ])('refuses a low-entropy SESSION_SECRET (%s) with a clear message', (_name, secret) => {
    expect(() => loadConfig({ ...base, SESSION_SECRET: secret })).toThrow(/SESSION_SECRET: too predictable/);
    expect(() => loadConfig({ ...base, SESSION_SECRET: secret })).toThrow(/openssl rand/);
  });

  it('accepts random secrets of any common shape', () => {
    for (let i = 0; i < 200; i++) {
      for (const secret of [randomBytes(16).toString('hex'), randomBytes(32).toString('base64url')])
        expect(loadConfig({ ...base, SESSION_SECRET: secret }).SESSION_SECRET).toBe(secret);
    }
  });

  it("takes TRUST_PROXY as a hop count or the proxies' addresses, and refuses `true`", () => {
    expect(loadConfig({ ...base }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,loopback' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'loopback',
    ]);
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: 'true'.*number of proxies/);
    for (const bad of ['banana', '10.0.0.0/33', '10.0.0.1,', '1.5'])
      expect(() => loadConfig({ ...base, TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
  });

  it('generates a development session secret once and keeps it', () => {
    const dir = `/tmp/solicitudes-config-${process.pid}-${Date.now()}`;
    const a = loadConfig({ DATA_DIR: dir });
    const b = loadConfig({ DATA_DIR: dir });
    expect(a.SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(b.SESSION_SECRET).toBe(a.SESSION_SECRET);
  });

  it('stops the server at start with a message naming each bad variable', () => {
    const bad = { PORT: 'not-a-port', TRUST_PROXY: 'true', SESSION_SECRET: 'x'.repeat(32) };
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, ...bad, DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 40_000,
    });
    expect(run.status).toBe(1);
    for (const name of Object.keys(bad)) expect(run.stderr).toMatch(new RegExp(`${name}:`));
  });
});
