CREATE TABLE `asset_funding` (
	`asset` text PRIMARY KEY NOT NULL,
	`chain_id` integer NOT NULL,
	`token_contract` text,
	`token_decimals` integer NOT NULL,
	`confirmations` integer NOT NULL,
	`deposits_enabled` integer DEFAULT false NOT NULL,
	`withdrawals_enabled` integer DEFAULT false NOT NULL,
	`withdrawal_fee` integer DEFAULT 0 NOT NULL,
	`withdrawal_min` integer DEFAULT 0 NOT NULL,
	`auto_approve_limit` integer DEFAULT 0 NOT NULL,
	`dual_approval_limit` integer,
	`ts_updated` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`asset`) REFERENCES `assets`(`code`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `chain_networks` (
	`chain_id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`rpc_secret` text NOT NULL,
	`xpub` text,
	`next_address_index` integer DEFAULT 0 NOT NULL,
	`hot_wallet_secret` text,
	`hot_wallet_address` text,
	`poll_ms` integer DEFAULT 4000 NOT NULL,
	`max_blocks_per_poll` integer DEFAULT 500 NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`ts_updated` integer NOT NULL,
	`updated_by` text NOT NULL
);
