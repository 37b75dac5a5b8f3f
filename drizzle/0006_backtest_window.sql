ALTER TABLE `backtest_runs` ADD `from_time` integer;--> statement-breakpoint
ALTER TABLE `backtest_runs` ADD `to_time` integer;