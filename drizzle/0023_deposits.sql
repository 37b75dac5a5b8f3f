CREATE TABLE `chain_blocks` (
	`chain_id` integer NOT NULL,
	`block_number` integer NOT NULL,
	`block_hash` text NOT NULL,
	PRIMARY KEY(`chain_id`, `block_number`)
);
--> statement-breakpoint
CREATE TABLE `chain_cursors` (
	`chain_id` integer PRIMARY KEY NOT NULL,
	`block_number` integer NOT NULL,
	`block_hash` text,
	`ts_updated` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `deposit_addresses` (
	`chain_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`address_index` integer NOT NULL,
	`address` text NOT NULL,
	`ts_created` integer NOT NULL,
	PRIMARY KEY(`chain_id`, `user_id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deposit_addresses_address_idx` ON `deposit_addresses` (`chain_id`,`address`);--> statement-breakpoint
CREATE UNIQUE INDEX `deposit_addresses_index_idx` ON `deposit_addresses` (`chain_id`,`address_index`);--> statement-breakpoint
CREATE TABLE `deposits` (
	`id` integer PRIMARY KEY NOT NULL,
	`chain_id` integer NOT NULL,
	`tx_hash` text NOT NULL,
	`log_index` integer NOT NULL,
	`asset` text NOT NULL,
	`user_id` text NOT NULL,
	`address` text NOT NULL,
	`token_contract` text,
	`chain_amount` text NOT NULL,
	`amount` integer NOT NULL,
	`remainder` text NOT NULL,
	`block_number` integer NOT NULL,
	`block_hash` text NOT NULL,
	`status` text NOT NULL,
	`note` text,
	`frozen` integer DEFAULT 0 NOT NULL,
	`entry_id` integer,
	`ts_seen` integer NOT NULL,
	`ts_updated` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deposits_transfer_idx` ON `deposits` (`chain_id`,`tx_hash`,`log_index`);--> statement-breakpoint
CREATE INDEX `deposits_user_idx` ON `deposits` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `deposits_status_idx` ON `deposits` (`chain_id`,`status`);