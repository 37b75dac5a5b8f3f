CREATE TABLE `paper_orders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`type` text NOT NULL,
	`qty` text NOT NULL,
	`price` text NOT NULL,
	`leverage` integer,
	`stop_loss` text,
	`take_profit` text,
	`status` text NOT NULL,
	`reason` text,
	`fill_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `trading_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `paper_orders_open_idx` ON `paper_orders` (`status`,`symbol`);--> statement-breakpoint
CREATE INDEX `paper_orders_account_idx` ON `paper_orders` (`account_id`,`id`);