CREATE TABLE `paper_fills` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`qty` text NOT NULL,
	`price` text NOT NULL,
	`touch_price` text NOT NULL,
	`slippage_ppm` integer NOT NULL,
	`commission` text NOT NULL,
	`realised_pnl` text NOT NULL,
	`reason` text NOT NULL,
	`entry_id` integer,
	`ts` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `trading_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `paper_fills_account_idx` ON `paper_fills` (`account_id`,`id`);--> statement-breakpoint
CREATE TABLE `paper_positions` (
	`account_id` text NOT NULL,
	`symbol` text NOT NULL,
	`qty` text NOT NULL,
	`entry_price` text NOT NULL,
	`leverage` integer NOT NULL,
	`margin` text NOT NULL,
	`stop_loss` text,
	`take_profit` text,
	`realised` text NOT NULL,
	`opened_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `symbol`),
	FOREIGN KEY (`account_id`) REFERENCES `trading_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `trading_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`venue` text NOT NULL,
	`mode` text NOT NULL,
	`enabled` integer NOT NULL,
	`base_currency` text NOT NULL,
	`token_hash` text NOT NULL,
	`token_hint` text NOT NULL,
	`paper_config` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_synced_at` integer,
	`deleted_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trading_accounts_token_idx` ON `trading_accounts` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `trading_accounts_user_name_idx` ON `trading_accounts` (`user_id`,`name`) WHERE deleted_at IS NULL;