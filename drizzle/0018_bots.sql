CREATE TABLE `bot_executions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bot_id` integer NOT NULL,
	`bar_time` integer NOT NULL,
	`signal` text,
	`shadow_position` text NOT NULL,
	`target` text NOT NULL,
	`live_before` text NOT NULL,
	`side` text,
	`qty` text,
	`alert_id` text,
	`body` text,
	`outcome` text NOT NULL,
	`error_code` text,
	`error` text,
	`filled_qty` text,
	`avg_price` text,
	`log_id` integer,
	`ts_created` integer NOT NULL,
	`ts_done` integer,
	FOREIGN KEY (`bot_id`) REFERENCES `bots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bot_executions_bar_idx` ON `bot_executions` (`bot_id`,`bar_time`);--> statement-breakpoint
CREATE INDEX `bot_executions_outcome_idx` ON `bot_executions` (`outcome`);--> statement-breakpoint
CREATE TABLE `bots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`strategy_id` text NOT NULL,
	`strategy_name` text NOT NULL,
	`params` text NOT NULL,
	`account_id` text NOT NULL,
	`symbol` text NOT NULL,
	`interval` text NOT NULL,
	`capital` text NOT NULL,
	`warmup_bars` integer NOT NULL,
	`time_limit_ms` integer,
	`status` text NOT NULL,
	`reason` text,
	`position` text DEFAULT '0' NOT NULL,
	`avg_price` text,
	`realised_pnl` text DEFAULT '0' NOT NULL,
	`last_bar_time` integer,
	`last_close` text,
	`last_signal` text,
	`shadow` text,
	`ts_started` integer,
	`ts_running_since` integer,
	`ts_created` integer NOT NULL,
	`ts_updated` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `bots_user_idx` ON `bots` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `bots_status_idx` ON `bots` (`status`);