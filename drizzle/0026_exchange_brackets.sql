CREATE TABLE `exchange_brackets` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`account_id` text,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`entry_client_id` text NOT NULL,
	`entry_order_id` integer,
	`take_profit` text,
	`stop_loss` text,
	`status` text NOT NULL,
	`result` text,
	`ts_created` integer NOT NULL,
	`ts_updated` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `exchange_brackets_waiting_idx` ON `exchange_brackets` (`status`,`entry_order_id`);--> statement-breakpoint
CREATE INDEX `exchange_brackets_user_idx` ON `exchange_brackets` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `exchange_brackets_client_idx` ON `exchange_brackets` (`user_id`,`entry_client_id`);