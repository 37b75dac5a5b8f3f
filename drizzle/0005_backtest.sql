CREATE TABLE `backtest_datasets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`source` text NOT NULL,
	`symbol` text,
	`interval` text,
	`interval_ms` integer,
	`bar_count` integer NOT NULL,
	`first_time` integer NOT NULL,
	`last_time` integer NOT NULL,
	`has_open_interest` integer NOT NULL,
	`candles` blob NOT NULL,
	`report` text NOT NULL,
	`ts_created` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `backtest_datasets_user_idx` ON `backtest_datasets` (`user_id`,`id`);--> statement-breakpoint
CREATE TABLE `backtest_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`job_run_id` integer,
	`dataset_id` integer NOT NULL,
	`dataset_name` text NOT NULL,
	`strategy_id` text NOT NULL,
	`strategy_name` text NOT NULL,
	`params` text NOT NULL,
	`ranges` text,
	`assumptions` text NOT NULL,
	`time_limit_ms` integer,
	`status` text NOT NULL,
	`error` text,
	`total_bars` integer NOT NULL,
	`bars_processed` integer,
	`grid_size` integer,
	`metrics` text,
	`trade_count` integer,
	`result` text,
	`ts_created` integer NOT NULL,
	`ts_started` integer,
	`ts_finished` integer
);
--> statement-breakpoint
CREATE INDEX `backtest_runs_user_idx` ON `backtest_runs` (`user_id`,`id`);--> statement-breakpoint
CREATE TABLE `backtest_strategies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`language` text NOT NULL,
	`source` text NOT NULL,
	`compiled` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`params` text DEFAULT '[]' NOT NULL,
	`ts_created` integer NOT NULL,
	`ts_updated` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `backtest_strategies_user_idx` ON `backtest_strategies` (`user_id`,`id`);