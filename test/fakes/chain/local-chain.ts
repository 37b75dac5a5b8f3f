/**
 * A real EVM chain for tests, in this process: Hardhat's EDR node (hardhat 2.29, the fastest
 * offline option measured on these machines, see ../shared/notes/chain.md), driven through viem.
 * Optionally served over JSON-RPC on 127.0.0.1 so a separate backend process can use it as
 * its RPC URL, exactly as it would a real node.
 *
 * Pitfalls this harness avoids (from the notes): `hardhat_mine(n)` makes blocks whose
 * parentHash is zero for n ≳ 10, so `mine` loops `evm_mine`; viem's `custom` transport must
 * not retry (a refused method would be retried with back-off).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import {
  createPublicClient,
  createWalletClient,
  custom,
  type Address,
  type EIP1193RequestFn,
  type Hex,
  type PublicClient,
  type WalletClient,
  type Transport,
  type Chain,
  type Account,
  defineChain,
} from 'viem';
import { mnemonicToAccount, type HDAccount } from 'viem/accounts';
import { TEST_TOKEN_ABI, TEST_TOKEN_BYTECODE } from './test-token';

/** Hardhat's well-known development mnemonic: never holds real money anywhere. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
export const LOCAL_CHAIN_ID = 31337;

export interface Eip1193 {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
}

export interface LocalChain {
  provider: Eip1193;
  chain: Chain;
  /** JSON-RPC URL on 127.0.0.1 when started with `http: true`. */
  rpcUrl: string | null;
  publicClient: PublicClient<Transport, Chain>;
  /** Dev accounts 0..n-1 of DEV_MNEMONIC, each funded with 10,000 ETH at genesis. */
  accounts: HDAccount[];
  wallet(account: HDAccount): WalletClient<Transport, Chain, Account>;
  /** Mines `n` empty blocks one by one (valid parent-hash chain). */
  mine(n?: number): Promise<void>;
  snapshot(): Promise<Hex>;
  revert(id: Hex): Promise<void>;
  /** Deploys the test ERC-20; the deployer (account 0 unless given) holds the whole supply. */
  deployToken(opts: {
    name: string;
    symbol: string;
    decimals: number;
    supply: bigint;
    from?: HDAccount;
  }): Promise<Address>;
  close(): Promise<void>;
}

interface HardhatModules {
  createHardhatNetworkProvider: (config: unknown, logger: unknown) => Promise<Eip1193>;
  defaultHardhatNetworkParams: { chains: unknown };
}

function loadHardhat(): HardhatModules {
  // Hardhat is CommonJS and a dev dependency: load it only when a chain test runs.
  process.env.HARDHAT_DISABLE_TELEMETRY_PROMPT = 'true';
  const require = createRequire(import.meta.url);
  const provider = require('hardhat/internal/hardhat-network/provider/provider') as {
    createHardhatNetworkProvider: HardhatModules['createHardhatNetworkProvider'];
  };
  const defaults = require('hardhat/internal/core/config/default-config') as {
    defaultHardhatNetworkParams: { chains: unknown };
  };
  return {
    createHardhatNetworkProvider: provider.createHardhatNetworkProvider,
    defaultHardhatNetworkParams: defaults.defaultHardhatNetworkParams,
  };
}

export async function startLocalChain(
  opts: { http?: boolean; accounts?: number } = {},
): Promise<LocalChain> {
  const count = opts.accounts ?? 5;
  const accounts = Array.from({ length: count }, (_, i) =>
    mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }),
  );
  const hh = loadHardhat();
  const provider = await hh.createHardhatNetworkProvider(
    {
      hardfork: 'cancun',
      chainId: LOCAL_CHAIN_ID,
      networkId: LOCAL_CHAIN_ID,
      blockGasLimit: 30_000_000,
      minGasPrice: 0n,
      automine: true,
      intervalMining: 0,
      mempoolOrder: 'priority',
      chains: hh.defaultHardhatNetworkParams.chains,
      genesisAccounts: accounts.map((a) => ({
        privateKey: toHex(a.getHdKey().privateKey!),
        balance: (10_000n * 10n ** 18n).toString(),
      })),
      allowUnlimitedContractSize: false,
      throwOnTransactionFailures: true,
      throwOnCallFailures: true,
      allowBlocksWithSameTimestamp: false,
      enableTransientStorage: false,
      enableRip7212: false,
    },
    { enabled: false, printLineFn() {}, replaceLastLineFn() {} },
  );
  const chain = defineChain({
    id: LOCAL_CHAIN_ID,
    name: 'Local (Hardhat EDR)',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: ['http://127.0.0.1'] } },
  });
  const transport = custom(
    { request: provider.request.bind(provider) as EIP1193RequestFn },
    {
      retryCount: 0,
    },
  );
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 20, cacheTime: 0 });
  const server = opts.http ? await serveJsonRpc(provider) : null;
  const rpcUrl = server ? `http://127.0.0.1:${(server.address() as AddressInfo).port}` : null;

  const local: LocalChain = {
    provider,
    chain,
    rpcUrl,
    publicClient,
    accounts,
    wallet: (account) => createWalletClient({ account, chain, transport }),
    async mine(n = 1) {
      for (let i = 0; i < n; i++) await provider.request({ method: 'evm_mine' });
    },
    snapshot: async () => (await provider.request({ method: 'evm_snapshot' })) as Hex,
    async revert(id) {
      const ok = await provider.request({ method: 'evm_revert', params: [id] });
      if (ok !== true) throw new Error(`evm_revert ${id} failed`);
    },
    async deployToken(t) {
      const wallet = local.wallet(t.from ?? accounts[0]!);
      const hash = await wallet.deployContract({
        abi: TEST_TOKEN_ABI,
        bytecode: TEST_TOKEN_BYTECODE,
        args: [t.name, t.symbol, t.decimals, t.supply],
      });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (!receipt.contractAddress) throw new Error('token deployment created no contract');
      return receipt.contractAddress;
    },
    async close() {
      if (!server) return;
      // A backend still polling holds a keep-alive connection; a request in flight when
      // close() is called keeps it serving (and close() waiting) for as long as polls come.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  return local;
}

function toHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes).toString('hex')}`;
}

/** A minimal JSON-RPC 2.0 HTTP server (single and batch requests) in front of the provider. */
async function serveJsonRpc(provider: Eip1193): Promise<Server> {
  const answer = async (req: { id?: unknown; method?: unknown; params?: unknown }) => {
    const id = req.id ?? null;
    if (typeof req.method !== 'string') {
      return { jsonrpc: '2.0', id, error: { code: -32600, message: 'Invalid Request' } };
    }
    try {
      const result = await provider.request({
        method: req.method,
        params: (req.params ?? []) as unknown[],
      });
      return { jsonrpc: '2.0', id, result };
    } catch (e) {
      const error = e as { code?: number; message?: string; data?: unknown };
      return {
        jsonrpc: '2.0',
        id,
        error: {
          code: error.code ?? -32603,
          message: error.message ?? String(e),
          data: error.data,
        },
      };
    }
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        const reply =
          body === undefined
            ? { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }
            : Array.isArray(body)
              ? await Promise.all(body.map((r) => answer(r as never)))
              : await answer(body as never);
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify(reply, (_k, v: unknown) =>
            typeof v === 'bigint' ? `0x${v.toString(16)}` : v,
          ),
        );
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
