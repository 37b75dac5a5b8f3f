CREATE TABLE `paper_financing` (
	`account_id` text NOT NULL,
	`symbol` text NOT NULL,
	`period_start` integer NOT NULL,
	`qty` text NOT NULL,
	`index_price` text NOT NULL,
	`rate_ppm` integer NOT NULL,
	`amount` text NOT NULL,
	`entry_id` integer,
	`ts` integer NOT NULL,
	PRIMARY KEY(`account_id`, `symbol`, `period_start`),
	FOREIGN KEY (`account_id`) REFERENCES `trading_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `paper_indexes` (
	`name` text PRIMARY KEY NOT NULL,
	`level` text NOT NULL,
	`ts` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `paper_instruments` (
	`symbol` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`description` text NOT NULL,
	`quote_asset` text NOT NULL,
	`price_source` text NOT NULL,
	`tick_size` text NOT NULL,
	`lot_size` text NOT NULL,
	`min_qty` text NOT NULL,
	`max_qty` text NOT NULL,
	`multiplier` text NOT NULL,
	`initial_margin` text NOT NULL,
	`maintenance_margin` text NOT NULL,
	`initial_margin_ppm` integer NOT NULL,
	`maintenance_margin_ppm` integer NOT NULL,
	`commission_per_contract` text NOT NULL,
	`commission_ppm` integer NOT NULL,
	`spread_ppm` integer NOT NULL,
	`financing_rate_ppm` integer NOT NULL,
	`financing_interval_hours` integer NOT NULL,
	`status` text NOT NULL,
	`updated_at` integer NOT NULL
);
