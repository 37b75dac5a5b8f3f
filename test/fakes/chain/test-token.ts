// Generated from TestToken.sol with solc 0.8.37+commit.f401782d.Emscripten.clang (optimizer on, 200 runs, evm cancun).
// Do not edit: recompile the source instead (see PROVENANCE in this folder).

export const TEST_TOKEN_ABI = [
  {
    inputs: [
      {
        internalType: 'string',
        name: 'name_',
        type: 'string',
      },
      {
        internalType: 'string',
        name: 'symbol_',
        type: 'string',
      },
      {
        internalType: 'uint8',
        name: 'decimals_',
        type: 'uint8',
      },
      {
        internalType: 'uint256',
        name: 'supply',
        type: 'uint256',
      },
    ],
    stateMutability: 'nonpayable',
    type: 'constructor',
  },
  {
    anonymous: false,
    inputs: [
      {
        indexed: true,
        internalType: 'address',
        name: 'owner',
        type: 'address',
      },
      {
        indexed: true,
        internalType: 'address',
        name: 'spender',
        type: 'address',
      },
      {
        indexed: false,
        internalType: 'uint256',
        name: 'value',
        type: 'uint256',
      },
    ],
    name: 'Approval',
    type: 'event',
  },
  {
    anonymous: false,
    inputs: [
      {
        indexed: true,
        internalType: 'address',
        name: 'from',
        type: 'address',
      },
      {
        indexed: true,
        internalType: 'address',
        name: 'to',
        type: 'address',
      },
      {
        indexed: false,
        internalType: 'uint256',
        name: 'value',
        type: 'uint256',
      },
    ],
    name: 'Transfer',
    type: 'event',
  },
  {
    inputs: [
      {
        internalType: 'address',
        name: '',
        type: 'address',
      },
      {
        internalType: 'address',
        name: '',
        type: 'address',
      },
    ],
    name: 'allowance',
    outputs: [
      {
        internalType: 'uint256',
        name: '',
        type: 'uint256',
      },
    ],
    stateMutability: 'view',
    type: 'function',
  },
  {
    inputs: [
      {
        internalType: 'address',
        name: 'spender',
        type: 'address',
      },
      {
        internalType: 'uint256',
        name: 'value',
        type: 'uint256',
      },
    ],
    name: 'approve',
    outputs: [
      {
        internalType: 'bool',
        name: '',
        type: 'bool',
      },
    ],
    stateMutability: 'nonpayable',
    type: 'function',
  },
  {
    inputs: [
      {
        internalType: 'address',
        name: '',
        type: 'address',
      },
    ],
    name: 'balanceOf',
    outputs: [
      {
        internalType: 'uint256',
        name: '',
        type: 'uint256',
      },
    ],
    stateMutability: 'view',
    type: 'function',
  },
  {
    inputs: [],
    name: 'decimals',
    outputs: [
      {
        internalType: 'uint8',
        name: '',
        type: 'uint8',
      },
    ],
    stateMutability: 'view',
    type: 'function',
  },
  {
    inputs: [],
    name: 'name',
    outputs: [
      {
        internalType: 'string',
        name: '',
        type: 'string',
      },
    ],
    stateMutability: 'view',
    type: 'function',
  },
  {
    inputs: [],
    name: 'symbol',
    outputs: [
      {
        internalType: 'string',
        name: '',
        type: 'string',
      },
    ],
    stateMutability: 'view',
    type: 'function',
  },
  {
    inputs: [],
    name: 'totalSupply',
    outputs: [
      {
        internalType: 'uint256',
        name: '',
        type: 'uint256',
      },
    ],
    stateMutability: 'view',
    type: 'function',
  },
  {
    inputs: [
      {
        internalType: 'address',
        name: 'to',
        type: 'address',
      },
      {
        internalType: 'uint256',
        name: 'value',
        type: 'uint256',
      },
    ],
    name: 'transfer',
    outputs: [
      {
        internalType: 'bool',
        name: '',
        type: 'bool',
      },
    ],
    stateMutability: 'nonpayable',
    type: 'function',
  },
  {
    inputs: [
      {
        internalType: 'address',
        name: 'from',
        type: 'address',
      },
      {
        internalType: 'address',
        name: 'to',
        type: 'address',
      },
      {
        internalType: 'uint256',
        name: 'value',
        type: 'uint256',
      },
    ],
    name: 'transferFrom',
    outputs: [
      {
        internalType: 'bool',
        name: '',
        type: 'bool',
      },
    ],
    stateMutability: 'nonpayable',
    type: 'function',
  },
] as const;

export const TEST_TOKEN_BYTECODE =
  '0x608060405234801561000f575f5ffd5b5060405161091438038061091483398101604081905261002e91610144565b5f6100398582610256565b5060016100468482610256565b506002805460ff191660ff84161790556003819055335f818152600460209081526040808320859055518481527fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef910160405180910390a350505050610314565b634e487b7160e01b5f52604160045260245ffd5b5f82601f8301126100ca575f5ffd5b81516001600160401b038111156100e3576100e36100a7565b604051601f8201601f19908116603f011681016001600160401b0381118282101715610111576101116100a7565b604052818152838201602001851015610128575f5ffd5b8160208501602083015e5f918101602001919091529392505050565b5f5f5f5f60808587031215610157575f5ffd5b84516001600160401b0381111561016c575f5ffd5b610178878288016100bb565b602087015190955090506001600160401b03811115610195575f5ffd5b6101a1878288016100bb565b935050604085015160ff811681146101b7575f5ffd5b6060959095015193969295505050565b600181811c908216806101db57607f821691505b6020821081036101f957634e487b7160e01b5f52602260045260245ffd5b50919050565b601f821115610251578282111561025157805f5260205f20601f840160051c602085101561022a57505f5b90810190601f840160051c035f5b8181101561024d575f83820155600101610238565b5050505b505050565b81516001600160401b0381111561026f5761026f6100a7565b6102838161027d84546101c7565b846101ff565b6020601f8211600181146102b5575f831561029e5750848201515b5f19600385901b1c1916600184901b17845561030d565b5f84815260208120601f198516915b828110156102e457878501518255602094850194600190920191016102c4565b508482101561030157868401515f19600387901b60f8161c191681555b505060018360011b0184555b5050505050565b6105f3806103215f395ff3fe608060405234801561000f575f5ffd5b5060043610610090575f3560e01c8063313ce56711610063578063313ce567146100ff57806370a082311461011e57806395d89b411461013d578063a9059cbb14610145578063dd62ed3e14610158575f5ffd5b806306fdde0314610094578063095ea7b3146100b257806318160ddd146100d557806323b872dd146100ec575b5f5ffd5b61009c610182565b6040516100a99190610448565b60405180910390f35b6100c56100c0366004610498565b61020d565b60405190151581526020016100a9565b6100de60035481565b6040519081526020016100a9565b6100c56100fa3660046104c0565b610279565b60025461010c9060ff1681565b60405160ff90911681526020016100a9565b6100de61012c3660046104fa565b60046020525f908152604090205481565b61009c610329565b6100c5610153366004610498565b610336565b6100de61016636600461051a565b600560209081525f928352604080842090915290825290205481565b5f805461018e9061054b565b80601f01602080910402602001604051908101604052809291908181526020018280546101ba9061054b565b80156102055780601f106101dc57610100808354040283529160200191610205565b820191905f5260205f20905b8154815290600101906020018083116101e857829003601f168201915b505050505081565b335f8181526005602090815260408083206001600160a01b038716808552925280832085905551919290917f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925906102679086815260200190565b60405180910390a35060015b92915050565b6001600160a01b0383165f908152600560209081526040808320338452909152812054828110156102dd5760405162461bcd60e51b8152602060048201526009602482015268616c6c6f77616e636560b81b60448201526064015b60405180910390fd5b5f198114610313576102ef8382610597565b6001600160a01b0386165f9081526005602090815260408083203384529091529020555b61031e85858561034b565b506001949350505050565b6001805461018e9061054b565b5f61034233848461034b565b50600192915050565b6001600160a01b0383165f9081526004602052604090205481111561039c5760405162461bcd60e51b815260206004820152600760248201526662616c616e636560c81b60448201526064016102d4565b6001600160a01b0383165f90815260046020526040812080548392906103c3908490610597565b90915550506001600160a01b0382165f90815260046020526040812080548392906103ef9084906105aa565b92505081905550816001600160a01b0316836001600160a01b03167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef8360405161043b91815260200190565b60405180910390a3505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b80356001600160a01b0381168114610493575f5ffd5b919050565b5f5f604083850312156104a9575f5ffd5b6104b28361047d565b946020939093013593505050565b5f5f5f606084860312156104d2575f5ffd5b6104db8461047d565b92506104e96020850161047d565b929592945050506040919091013590565b5f6020828403121561050a575f5ffd5b6105138261047d565b9392505050565b5f5f6040838503121561052b575f5ffd5b6105348361047d565b91506105426020840161047d565b90509250929050565b600181811c9082168061055f57607f821691505b60208210810361057d57634e487b7160e01b5f52602260045260245ffd5b50919050565b634e487b7160e01b5f52601160045260245ffd5b8181038181111561027357610273610583565b808201808211156102735761027361058356fea26469706673582212201cfba37c0f415689383b7434519abeb3c3d886528b750944d3bfe807f667c49c64736f6c63430008250033' as const;
