CREATE TABLE `market_candles` (
	`symbol` text NOT NULL,
	`interval` text NOT NULL,
	`open_time` integer NOT NULL,
	`open` integer NOT NULL,
	`high` integer NOT NULL,
	`low` integer NOT NULL,
	`close` integer NOT NULL,
	`volume` integer NOT NULL,
	`quote_volume` text NOT NULL,
	`trades` integer NOT NULL,
	PRIMARY KEY(`symbol`, `interval`, `open_time`)
);
--> statement-breakpoint
CREATE TABLE `market_data_progress` (
	`symbol` text PRIMARY KEY NOT NULL,
	`last_trade_id` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `simulator_markets` (
	`symbol` text PRIMARY KEY NOT NULL,
	`seed` integer NOT NULL,
	`running` integer NOT NULL,
	`state` text NOT NULL,
	`replay_path` text,
	`replay_name` text,
	`ts_updated` integer NOT NULL
);
