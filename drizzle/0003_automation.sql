CREATE TABLE `automation_calendar_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`ts` integer NOT NULL,
	`title` text NOT NULL,
	`currency` text,
	`source` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `automation_calendar_user_ts_idx` ON `automation_calendar_events` (`user_id`,`ts`);--> statement-breakpoint
CREATE TABLE `automation_dedupe` (
	`key` text PRIMARY KEY NOT NULL,
	`log_id` integer,
	`ts_claimed` integer NOT NULL,
	`ts_expires` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `automation_dedupe_expires_idx` ON `automation_dedupe` (`ts_expires`);--> statement-breakpoint
CREATE TABLE `automation_emergency` (
	`user_id` text NOT NULL,
	`account_id` text NOT NULL,
	`active` integer NOT NULL,
	`reason` text,
	`summary` text DEFAULT '{}' NOT NULL,
	`ts_stopped` integer NOT NULL,
	`ts_rearmed` integer,
	PRIMARY KEY(`user_id`, `account_id`)
);
--> statement-breakpoint
CREATE TABLE `automation_receiver` (
	`user_id` text PRIMARY KEY NOT NULL,
	`tv_allowlist` integer DEFAULT false NOT NULL,
	`trusted_proxy` text,
	`dedupe_window_sec` integer DEFAULT 60 NOT NULL,
	`ts_updated` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `automation_results` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`account_id` text NOT NULL,
	`symbol` text NOT NULL,
	`pnl` text NOT NULL,
	`ts` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `automation_results_account_idx` ON `automation_results` (`account_id`,`ts`);--> statement-breakpoint
CREATE TABLE `automation_risk_settings` (
	`user_id` text NOT NULL,
	`account_id` text NOT NULL,
	`settings` text NOT NULL,
	`ts_updated` integer NOT NULL,
	PRIMARY KEY(`user_id`, `account_id`)
);
--> statement-breakpoint
CREATE TABLE `automation_trade_counts` (
	`user_id` text NOT NULL,
	`day` text NOT NULL,
	`trades` integer DEFAULT 0 NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`alerts` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `automation_webhook_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text,
	`account_id` text,
	`route` text NOT NULL,
	`status` text NOT NULL,
	`http_status` integer NOT NULL,
	`format` text,
	`alert_id` text,
	`symbol` text,
	`remote_ip` text,
	`content_type` text,
	`raw_body` text NOT NULL,
	`intent` text,
	`decisions` text DEFAULT '[]' NOT NULL,
	`orders` text DEFAULT '[]' NOT NULL,
	`error_code` text,
	`error_message` text,
	`duplicate_of` integer,
	`orders_placed` integer DEFAULT 0 NOT NULL,
	`trades_executed` integer DEFAULT 0 NOT NULL,
	`latency_us` integer NOT NULL,
	`ts_received` integer NOT NULL,
	`correlation_id` text
);
--> statement-breakpoint
CREATE INDEX `automation_log_user_idx` ON `automation_webhook_log` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `automation_log_account_idx` ON `automation_webhook_log` (`account_id`,`ts_received`);