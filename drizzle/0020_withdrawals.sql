CREATE TABLE `withdrawal_addresses` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`chain_id` integer NOT NULL,
	`address` text NOT NULL,
	`label` text NOT NULL,
	`ts_created` integer NOT NULL,
	`ts_usable` integer NOT NULL,
	`ts_removed` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `withdrawal_addresses_user` ON `withdrawal_addresses` (`user_id`,`ts_removed`);--> statement-breakpoint
CREATE TABLE `withdrawal_approvals` (
	`withdrawal_id` text NOT NULL,
	`admin_id` text NOT NULL,
	`ts` integer NOT NULL,
	PRIMARY KEY(`withdrawal_id`, `admin_id`),
	FOREIGN KEY (`withdrawal_id`) REFERENCES `withdrawals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `withdrawal_signers` (
	`chain_id` integer NOT NULL,
	`address` text NOT NULL,
	`next_nonce` integer NOT NULL,
	PRIMARY KEY(`chain_id`, `address`)
);
--> statement-breakpoint
CREATE TABLE `withdrawals` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`client_request_id` text NOT NULL,
	`asset` text NOT NULL,
	`chain_id` integer NOT NULL,
	`address_id` text NOT NULL,
	`to_address` text NOT NULL,
	`amount` text NOT NULL,
	`fee` text NOT NULL,
	`chain_amount` text NOT NULL,
	`token_contract` text,
	`status` text NOT NULL,
	`approvals_required` integer NOT NULL,
	`requested_via` text NOT NULL,
	`from_address` text,
	`nonce` integer,
	`raw` text,
	`tx_hash` text,
	`block_number` integer,
	`block_hash` text,
	`confirmations` integer DEFAULT 0 NOT NULL,
	`broadcasts` integer DEFAULT 0 NOT NULL,
	`reason` text,
	`decided_by` text,
	`ts_created` integer NOT NULL,
	`ts_updated` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `withdrawals_client_request` ON `withdrawals` (`user_id`,`client_request_id`);--> statement-breakpoint
CREATE INDEX `withdrawals_status` ON `withdrawals` (`status`);--> statement-breakpoint
CREATE INDEX `withdrawals_user_time` ON `withdrawals` (`user_id`,`ts_created`);