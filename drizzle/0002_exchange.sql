CREATE TABLE `assets` (
	`code` text PRIMARY KEY NOT NULL,
	`scale` integer NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `exchange_sequences` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ledger_accounts` (
	`owner` text NOT NULL,
	`asset` text NOT NULL,
	`purpose` text NOT NULL,
	`balance` integer NOT NULL,
	PRIMARY KEY(`owner`, `asset`, `purpose`)
);
--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`ref_type` text NOT NULL,
	`ref_id` text NOT NULL,
	`reason` text,
	`ts` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ledger_entries_ref_idx` ON `ledger_entries` (`ref_type`,`ref_id`);--> statement-breakpoint
CREATE TABLE `ledger_postings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entry_id` integer NOT NULL,
	`owner` text NOT NULL,
	`asset` text NOT NULL,
	`purpose` text NOT NULL,
	`amount` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ledger_postings_entry_idx` ON `ledger_postings` (`entry_id`);--> statement-breakpoint
CREATE INDEX `ledger_postings_owner_idx` ON `ledger_postings` (`owner`,`entry_id`);--> statement-breakpoint
CREATE TABLE `markets` (
	`symbol` text PRIMARY KEY NOT NULL,
	`base` text NOT NULL,
	`quote` text NOT NULL,
	`tick_size` text NOT NULL,
	`lot_size` text NOT NULL,
	`min_qty` text NOT NULL,
	`min_notional` text NOT NULL,
	`maker_fee_ppm` integer NOT NULL,
	`taker_fee_ppm` integer NOT NULL,
	`status` text NOT NULL,
	`price_band_bps` integer NOT NULL,
	`last_price` integer DEFAULT 0 NOT NULL,
	`last_seq` integer DEFAULT 0 NOT NULL,
	`last_trade_id` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `orders` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`symbol` text NOT NULL,
	`client_order_id` text,
	`side` text NOT NULL,
	`kind` text NOT NULL,
	`tif` text NOT NULL,
	`post_only` integer NOT NULL,
	`stp` text NOT NULL,
	`price` integer NOT NULL,
	`stop_price` integer NOT NULL,
	`qty` integer NOT NULL,
	`quote_qty` integer NOT NULL,
	`open_qty` integer NOT NULL,
	`filled_qty` integer NOT NULL,
	`filled_quote` integer NOT NULL,
	`status` text NOT NULL,
	`cancel_reason` text,
	`waiting` integer NOT NULL,
	`priority` integer NOT NULL,
	`res_asset` text NOT NULL,
	`res_remaining` integer NOT NULL,
	`res_fee_accrual` text NOT NULL,
	`res_fees_paid` integer NOT NULL,
	`res_max_fee_ppm` integer NOT NULL,
	`ts_created` integer NOT NULL,
	`ts_updated` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `orders_user_idx` ON `orders` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `orders_client_idx` ON `orders` (`user_id`,`client_order_id`);--> statement-breakpoint
CREATE INDEX `orders_open_idx` ON `orders` (`symbol`,`status`);--> statement-breakpoint
CREATE TABLE `trades` (
	`symbol` text NOT NULL,
	`trade_id` integer NOT NULL,
	`price` integer NOT NULL,
	`qty` integer NOT NULL,
	`quote_units` integer NOT NULL,
	`taker_side` text NOT NULL,
	`buy_order_id` integer NOT NULL,
	`sell_order_id` integer NOT NULL,
	`buyer_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`buyer_fee` integer NOT NULL,
	`seller_fee` integer NOT NULL,
	`ts` integer NOT NULL,
	PRIMARY KEY(`symbol`, `trade_id`)
);
--> statement-breakpoint
CREATE INDEX `trades_buyer_idx` ON `trades` (`buyer_id`);--> statement-breakpoint
CREATE INDEX `trades_seller_idx` ON `trades` (`seller_id`);