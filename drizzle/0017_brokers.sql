CREATE TABLE `bridge_commands` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`seq` integer NOT NULL,
	`command` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`sent_at` integer,
	`done_at` integer,
	`result` text,
	FOREIGN KEY (`account_id`) REFERENCES `trading_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `bridge_commands_account_status_idx` ON `bridge_commands` (`account_id`,`status`,`seq`);--> statement-breakpoint
CREATE TABLE `bridge_terminals` (
	`account_id` text PRIMARY KEY NOT NULL,
	`last_heartbeat_at` integer NOT NULL,
	`terminal` text NOT NULL,
	`account` text NOT NULL,
	`positions` text NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `trading_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `broker_orders` (
	`account_id` text NOT NULL,
	`client_order_id` text NOT NULL,
	`venue_order_id` text,
	`alert_log_id` integer,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`type` text NOT NULL,
	`qty` text NOT NULL,
	`price` text,
	`status` text NOT NULL,
	`filled_qty` text DEFAULT '0' NOT NULL,
	`avg_price` text,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `client_order_id`),
	FOREIGN KEY (`account_id`) REFERENCES `trading_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `broker_orders_account_time_idx` ON `broker_orders` (`account_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `broker_orders_status_idx` ON `broker_orders` (`status`);--> statement-breakpoint
ALTER TABLE `trading_accounts` ADD `broker_settings` text;--> statement-breakpoint
ALTER TABLE `trading_accounts` ADD `credentials_ref` text;--> statement-breakpoint
ALTER TABLE `trading_accounts` ADD `outage_queue_ms` integer DEFAULT 0 NOT NULL;