import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromCli } from '../../../src-main/config';

describe('configuration from flags and environment', () => {
  it('binds to loopback by default', () => {
    const c = configFromCli([], {});
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8420);
    expect(c.sqliteSynchronous).toBe('FULL');
  });

  it('lets flags win over the environment', () => {
    const c = configFromCli(['--port', '9000', '--data-dir=./x'], {
      BOURSE_PORT: '7000',
      BOURSE_HOST: '0.0.0.0',
    });
    expect(c.port).toBe(9000);
    expect(c.host).toBe('0.0.0.0');
    expect(c.dataDir).toBe(path.resolve('./x'));
  });

  it('rejects unknown flags and bad ports with a clear message', () => {
    expect(() => configFromCli(['--prot', '1'], {})).toThrow(/Unknown option --prot/);
    expect(() => configFromCli(['--port', 'abc'], {})).toThrow(/Invalid port "abc"/);
    expect(() => configFromCli(['--port'], {})).toThrow(/needs a value/);
  });

  it('keeps secrets out of plain text unless asked', () => {
    expect(configFromCli([], {}).secrets).toBe('keychain');
    expect(configFromCli(['--allow-plaintext-secrets'], {}).secrets).toBe('plaintext-file');
  });

  it('runs the simulator and offers demo funds unless turned off', () => {
    const on = configFromCli([], {});
    expect([on.simulator, on.demoFunds]).toEqual([true, true]);
    const flags = configFromCli(['--no-simulator', '--no-demo-funds'], {});
    expect([flags.simulator, flags.demoFunds]).toEqual([false, false]);
    const env = configFromCli([], { BOURSE_SIMULATOR: 'off', BOURSE_DEMO_FUNDS: 'off' });
    expect([env.simulator, env.demoFunds]).toEqual([false, false]);
  });

  it('trusts no proxy unless one is configured, by flag or environment', () => {
    expect(configFromCli([], {}).trustedProxies).toEqual([]);
    const env = configFromCli([], { BOURSE_TRUSTED_PROXIES: '10.0.0.1, fd00::/8' });
    expect(env.trustedProxies).toEqual(['10.0.0.1', 'fd00::/8']);
    const flag = configFromCli(['--trusted-proxy', '127.0.0.1,192.168.0.0/16'], {
      BOURSE_TRUSTED_PROXIES: '10.0.0.1',
    });
    expect(flag.trustedProxies).toEqual(['127.0.0.1', '192.168.0.0/16']);
    expect(configFromCli(['--trusted-proxy=::1'], {}).trustedProxies).toEqual(['::1']);
  });

  it('refuses trusted proxies that are not addresses or CIDR ranges', () => {
    for (const bad of ['proxy.example', '10.0.0.1/33', '10.0.0.0/8/1', '::1/129', '10.0.0.1/x']) {
      expect(() => configFromCli(['--trusted-proxy', bad], {})).toThrow(
        `Invalid trusted proxy "${bad}"`,
      );
    }
    expect(() => configFromCli([], { BOURSE_TRUSTED_PROXIES: '*' })).toThrow(/Invalid trusted/);
    expect(() => configFromCli(['--trusted-proxy'], {})).toThrow(/needs a value/);
  });

  it('bounds open WebSocket connections by default; the environment may change the bounds', () => {
    expect(configFromCli([], {}).wsConnections).toEqual({ perAddress: 256, total: 2048 });
    const env = configFromCli([], { BOURSE_WS_CONNECTIONS_PER_ADDRESS: ' 16 ' });
    expect(env.wsConnections).toEqual({ perAddress: 16, total: 2048 });
    const both = configFromCli([], {
      BOURSE_WS_CONNECTIONS_PER_ADDRESS: '1000',
      BOURSE_WS_CONNECTIONS_TOTAL: '8000',
    });
    expect(both.wsConnections).toEqual({ perAddress: 1000, total: 8000 });
    for (const bad of ['0', '-1', '1.5', '1e3', 'many', '1000001']) {
      expect(() => configFromCli([], { BOURSE_WS_CONNECTIONS_TOTAL: bad })).toThrow(
        `Invalid BOURSE_WS_CONNECTIONS_TOTAL "${bad}": expected a whole number from 1 to 1000000`,
      );
    }
  });

  it('bounds open TCP connections by default; the environment may change the bounds', () => {
    expect(configFromCli([], {}).connections).toEqual({ perAddress: 512, total: 4096 });
    const env = configFromCli([], { BOURSE_CONNECTIONS_TOTAL: '10000' });
    expect(env.connections).toEqual({ perAddress: 512, total: 10000 });
    expect(() => configFromCli([], { BOURSE_CONNECTIONS_PER_ADDRESS: '0' })).toThrow(
      'Invalid BOURSE_CONNECTIONS_PER_ADDRESS "0": expected a whole number from 1 to 1000000',
    );
  });
});
