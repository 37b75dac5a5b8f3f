CREATE TABLE `automation_webhook_refusals` (
	`hour` integer NOT NULL,
	`address` text NOT NULL,
	`count` integer NOT NULL,
	`bytes` integer NOT NULL,
	`last_code` text NOT NULL,
	`token_hint` text,
	`ts_first` integer NOT NULL,
	`ts_last` integer NOT NULL,
	PRIMARY KEY(`hour`, `address`)
);
--> statement-breakpoint
CREATE INDEX `automation_refusals_last_idx` ON `automation_webhook_refusals` (`ts_last`);--> statement-breakpoint
CREATE INDEX `automation_log_ts_idx` ON `automation_webhook_log` (`ts_received`);