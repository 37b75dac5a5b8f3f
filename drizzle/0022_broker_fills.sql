CREATE TABLE `broker_fills` (
	`account_id` text NOT NULL,
	`fill_id` text NOT NULL,
	`venue_order_id` text NOT NULL,
	`client_order_id` text,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`qty` text NOT NULL,
	`price` text NOT NULL,
	`fee` text NOT NULL,
	`fee_asset` text NOT NULL,
	`currency` text NOT NULL,
	`multiplier` text NOT NULL,
	`ts` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `fill_id`),
	FOREIGN KEY (`account_id`) REFERENCES `trading_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `broker_fills_account_ts_idx` ON `broker_fills` (`account_id`,`ts`);--> statement-breakpoint
ALTER TABLE `bot_executions` ADD `adjustment` text;